// The compiled-operation cache: a known document runs compiled and gives what the pipeline
// gives; the cache stays bounded; queries and mutations are told apart for the GET rule.
import { describe, expect, it } from 'vitest';
import { buildSchema as buildSdl, parse } from 'graphql';
import { CompiledOperations } from '../src/graphql/compiled-operations.js';
import { startTestConnector, APP_ORIGIN } from './helpers/test-connector.js';

const schema = buildSdl('type Query { hello(name: String!): String } type Mutation { touch: Int }');
schema.getQueryType()!.getFields().hello!.resolve = (_s, { name }: { name: string }) => `hello ${name}`;
schema.getMutationType()!.getFields().touch!.resolve = () => 1;

describe('CompiledOperations', () => {
  it('compiles once per document text and operation name, and runs with variables', async () => {
    const ops = new CompiledOperations(schema);
    const q = 'query H($n: String!) { hello(name: $n) }';
    expect(ops.get(q, undefined)).toBeUndefined();
    const op = ops.add(q, undefined, parse(q), 'query', 'H')!;
    expect(op.kind).toBe('query');
    expect(ops.get(q, undefined)).toBe(op);
    expect(ops.get(q, 'H')).toBeUndefined();
    const r = await op.run({}, { n: 'x' });
    expect(op.stringify(r)).toBe('{"data":{"hello":"hello x"}}');
    // Variables are coerced as graphql-js does: a missing one is an error, no data.
    const bad = await op.run({}, {});
    expect(bad.errors?.[0]?.message).toMatch(/\$n/);
  });

  it('keeps at most `max` documents, dropping the oldest', () => {
    const ops = new CompiledOperations(schema, 3);
    const texts = ['{ a: hello(name: "1") }', '{ b: hello(name: "2") }', '{ c: hello(name: "3") }', '{ d: hello(name: "4") }'];
    for (const t of texts) ops.add(t, undefined, parse(t), 'query', undefined);
    expect(ops.size).toBe(3);
    expect(ops.get(texts[0]!, undefined)).toBeUndefined();
    expect(ops.get(texts[3]!, undefined)).toBeDefined();
  });
});

describe('compiled operations in the connector', () => {
  it('answers a repeated document the same as the first time, errors keep their codes, GET never mutates', async () => {
    const t = await startTestConnector();
    try {
      const q = '{ info { name apiVersion label } }';
      const first = await t.query(q);
      const again = await t.query(q);
      expect(again.status).toBe(200);
      expect(again.json).toEqual(first.json);
      expect(first.json.data.info.name).toBe('cardlink-connector');

      const missing = 'query R($id: ID!) { beid(readerId: $id) { appletVersion } }';
      for (let i = 0; i < 2; i++) {
        const r = await t.query(missing, { id: 'no-such-reader' });
        expect(r.json.errors[0].extensions.code).toBe('READER_NOT_FOUND');
        const noVar = await t.query(missing, {});
        expect(noVar.json.errors[0].extensions.code).toBe('BAD_REQUEST');
      }
      const m = 'mutation { verifyPin(input: { readerId: "x", pin: "1234" }) { verified } }';
      expect((await t.query(m)).json.errors[0].extensions.code).toBe('READER_NOT_FOUND'); // compiled on first sight
      const viaGet = await t.call({ method: 'GET', path: `/graphql?query=${encodeURIComponent(m)}`, headers: { origin: APP_ORIGIN } });
      expect(viaGet.status).toBe(405);
    } finally {
      await t.close();
    }
  });
});
