import type { MutationResolvers, QueryResolvers } from '../generated/resolvers.js';
import type { RequestContext } from '../context.js';
import { ConnectorError } from '../../errors.js';
import { withUsage } from '../usage.js';
import { isFileUpload } from '../../http/multipart.js';
import { TRANSFER_PREFIX } from '../../files/file-transfers.js';

const MODULE = 'files';

export const filesOf = (ctx: RequestContext) => ctx.services.files;

export const fileTypesQuery: QueryResolvers['fileTypes'] = (_p, _a, ctx) => filesOf(ctx).service.typesFor(ctx.label);

export const filesQuery: QueryResolvers['files'] = (_p, { type, subfolder }, ctx) => filesOf(ctx).service.list(ctx.label, type, subfolder);

/** Page → disk (a download, from the device's side). One FILE_DOWNLOAD, whatever the outcome. */
export const downloadMutation: MutationResolvers['download'] = (_p, { input }, ctx) =>
  withUsage(ctx, 'FILE_DOWNLOAD', MODULE, async () => {
    const upload = input.file;
    if (!isFileUpload(upload)) {
      throw new ConnectorError('INVALID_INPUT', '`file` must be sent as a multipart upload (GraphQL multipart request).');
    }
    try {
      return await filesOf(ctx).service.receive(ctx.label, input.type, input, () => upload.open());
    } finally {
      upload.discard();
    }
  });

/** Disk → page (an upload, from the device's side): a one-time URL that streams the bytes. */
export const uploadMutation: MutationResolvers['upload'] = (_p, { input }, ctx) =>
  withUsage(ctx, 'FILE_UPLOAD', MODULE, async () => {
    const { service, transfers } = filesOf(ctx);
    const file = await service.resolveFile(ctx.label, input.type, input.name, input.subfolder);
    const { token, expiresAt } = transfers.issue(file, { label: ctx.label, origin: ctx.origin });
    return { url: `https://${ctx.host ?? 'localhost'}${TRANSFER_PREFIX}${token}`, size: file.size, expiresAt: expiresAt.toISOString() };
  });
