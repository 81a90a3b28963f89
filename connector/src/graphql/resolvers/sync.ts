import { ConnectorError } from '../../errors.js';
import type { MutationResolvers } from '../generated/resolvers.js';

/** `syncNow`: for the local token client only; a page must not be able to make the connector call home. */
export const syncNowMutation: MutationResolvers['syncNow'] = async (_p, _a, { services, origin }) => {
  if (origin !== null) throw new ConnectorError('LOCAL_CLIENT_ONLY', 'Only a local client with the connector\'s token may ask for a DS sync.');
  if (!services.ds) throw new ConnectorError('NOT_MANAGED', 'This connector is not registered with a Distribution Service.');
  return services.ds.syncNow();
};
