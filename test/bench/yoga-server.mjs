// The second baseline: graphql-yoga out of the box on node:https (same certificate), with a
// schema that answers `info` and `readers` with the connector's own answers and a Host/Origin
// check as a plugin, nothing else (with `jit`: plus @envelop/graphql-jit, yoga's own way to
// compile queries). What our yoga pipeline's plugin list costs on top of it. With `floor`:
// graphql-jit and yoga configured as the connector configures it (no CORS, GraphiQL, landing
// page, batching, multipart or body-size plugins), i.e. yoga's own cost with the Host/Origin check
// as its only guard.
import { createServer } from 'node:https';
import { readFileSync } from 'node:fs';
import { createYoga, createSchema } from 'graphql-yoga';
import { useGraphQlJit } from '@envelop/graphql-jit';

const [keyFile, certFile, bodiesFile, origin, mode] = process.argv.slice(2);
const bodies = JSON.parse(readFileSync(bodiesFile, 'utf8'));
const info = JSON.parse(bodies['/info']).data.info;
const readers = JSON.parse(bodies['/readers']).data?.readers ?? [];
const schema = createSchema({
  typeDefs: `
    type Card { atr: String description: String module: String }
    type Reader { id: ID! name: String! pinpad: Boolean card: Card }
    type Info { name: String version: String apiVersion: String os: String arch: String label: String pcscAvailable: Boolean managed: Boolean }
    type Query { info: Info readers: [Reader!]! }`,
  resolvers: { Query: { info: () => info, readers: () => readers } },
});
const floor = mode === 'floor';
const yoga = createYoga({
  schema,
  logging: false,
  ...(floor ? { cors: false, graphiql: false, landingPage: false, batching: false, multipart: false, maxRequestBodySize: false, healthCheckEndpoint: '/\u0000' } : {}),
  plugins: [
    {
      onRequest({ request, endResponse, fetchAPI }) {
        const host = request.headers.get('host') ?? '';
        if (!/^localhost:\d+$/.test(host) || request.headers.get('origin') !== origin) endResponse(new fetchAPI.Response('refused', { status: 403 }));
      },
    },
    ...(mode === 'jit' || floor ? [useGraphQlJit()] : []),
  ],
});
const server = createServer({ key: readFileSync(keyFile), cert: readFileSync(certFile), minVersion: 'TLSv1.2', keepAliveTimeout: 65_000 }, yoga);
server.listen(0, '127.0.0.1', () => process.stdout.write(`ready on ${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
