// Loads (or creates) the CA of the data dir given as argument and prints its certificate's
// SHA-256: the CA test starts several of these at once, as replicas starting together would.
import { register } from 'tsx/esm/api';
import { createHash } from 'node:crypto';

register();
const { loadOrCreateCa } = await import('../../src/ca/root-ca.ts');
process.stdout.write(createHash('sha256').update(loadOrCreateCa(process.argv[2]).certPem).digest('hex'));
