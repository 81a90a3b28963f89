import type { MutationResolvers, QueryResolvers } from '../generated/resolvers.js';
import { ConnectorError } from '../../errors.js';
import { withUsage } from '../usage.js';
import { isFileUpload } from '../../http/multipart.js';
import { filesOf } from './files.js';

const MODULE = 'cups';

export const printersQuery: QueryResolvers['printers'] = (_p, _a, ctx) => ctx.services.printing.printers();

export const printJobQuery: QueryResolvers['printJob'] = (_p, { id }, ctx) => ctx.services.printing.job(ctx.label, id);

/** Print a mapped file (type + name) or a file the page sends. One FILE_PRINT per request. */
export const printMutation: MutationResolvers['print'] = (_p, { input }, ctx) =>
  withUsage(ctx, 'FILE_PRINT', MODULE, async () => {
    const printing = ctx.services.printing;
    const upload = input.file;
    try {
      const mapped = input.type != null || input.name != null;
      if (mapped === (upload != null)) {
        throw new ConnectorError('INVALID_INPUT', 'Give either `type` and `name` (a mapped file) or `file` (a file sent by the page).');
      }
      if (upload != null) {
        if (!isFileUpload(upload)) throw new ConnectorError('INVALID_INPUT', '`file` must be sent as a multipart upload (GraphQL multipart request).');
        return await printing.printStream(ctx.label, input.printer, () => upload.open(), input.title);
      }
      if (input.type == null || input.name == null) throw new ConnectorError('INVALID_INPUT', 'A mapped file needs both `type` and `name`.');
      const file = await filesOf(ctx).service.resolveFile(ctx.label, input.type, input.name, input.subfolder);
      return await printing.printFile(ctx.label, input.printer, file, input.title ?? file.name);
    } finally {
      if (isFileUpload(upload)) upload.discard();
    }
  });
