// The compiled-operation cache: a known document runs compiled and gives what the pipeline
// gives; the cache stays bounded in bytes; queries and mutations are told apart for the GET rule.
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

  it('keeps what fits its byte budget, dropping the least recently used; runs a huge one without keeping it', async () => {
    const probe = new CompiledOperations(schema);
    probe.add('{ a: hello(name: "1") }', undefined, parse('{ a: hello(name: "1") }'), 'query', undefined);
    const one = probe.bytes;
    expect(one).toBeGreaterThan(0);
    // Room for four documents of this size (no entry may take more than a quarter of the budget).
    const budget = Math.floor(one * 4.5);
    const ops = new CompiledOperations(schema, budget);
    const texts = ['a', 'b', 'c', 'd', 'e'].map((n, i) => `{ ${n}: hello(name: "${i}") }`);
    const add = (t: string) => ops.add(t, undefined, parse(t), 'query', undefined);
    for (const t of texts.slice(0, 4)) add(t);
    expect(ops.size).toBe(4);
    expect(ops.get(texts[0]!, undefined)).toBeDefined(); // now the most recently used
    add(texts[4]!);
    expect(ops.size).toBe(4);
    expect(ops.bytes).toBeLessThanOrEqual(budget);
    expect(ops.get(texts[1]!, undefined)).toBeUndefined();
    expect(ops.get(texts[0]!, undefined)).toBeDefined();
    expect(ops.get(texts[4]!, undefined)).toBeDefined();
    // A 100 KB string literal is inlined in the generated code: far past a quarter of the budget.
    const huge = `{ hello(name: "${'x'.repeat(100_000)}") }`;
    const op = ops.add(huge, undefined, parse(huge), 'query', undefined)!;
    expect(op.stringify(await op.run({}, {}))).toContain('hello x');
    expect(ops.get(huge, undefined)).toBeUndefined();
    expect(ops.size).toBe(4);
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
