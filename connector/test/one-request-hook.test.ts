// The request path's onRequest hooks run by one hook: same order, a refusal stops the rest,
// an asynchronous hook is waited for, and every other hook of every plugin is kept in order.
import { describe, expect, it } from 'vitest';
import { withOneRequestHook } from '../src/http/plugins/one-request-hook.js';

type Hook = (p: { endResponse: (r: Response) => void }) => void | Promise<void>;
const payload = () => {
  const ended: Response[] = [];
  return { ended, p: { endResponse: (r: Response) => void ended.push(r) } };
};
const run = (plugins: ReturnType<typeof withOneRequestHook>, p: any) => plugins[0]!.onRequest!(p);

describe('withOneRequestHook', () => {
  it('runs the hooks in order and keeps the other hooks, in order, without their onRequest', () => {
    const calls: string[] = [];
    const hook = (name: string): Hook => () => void calls.push(name);
    const onParams = () => undefined;
    const plugins = withOneRequestHook([{ onRequest: hook('a') }, { onRequest: hook('b'), onParams }, { onParams }, { onRequest: hook('c') }] as never);
    expect(plugins).toHaveLength(3);
    expect(plugins.slice(1).every((p) => p.onRequest === undefined && p.onParams === onParams)).toBe(true);
    const { p } = payload();
    expect(run(plugins, p)).toBeUndefined(); // all synchronous: no promise for yoga to wait on
    expect(calls).toEqual(['a', 'b', 'c']);
  });

  it('stops at the hook that ends the response', () => {
    const calls: string[] = [];
    const refusal = new Response('no', { status: 403 });
    const plugins = withOneRequestHook([
      { onRequest: () => void calls.push('host') },
      { onRequest: ({ endResponse }: { endResponse: (r: Response) => void }) => (calls.push('origin'), endResponse(refusal)) },
      { onRequest: () => void calls.push('tag') },
    ] as never);
    const { p, ended } = payload();
    run(plugins, p);
    expect(calls).toEqual(['host', 'origin']);
    expect(ended).toEqual([refusal]);
  });

  it('waits for an asynchronous hook before the next one, and stops if it ended the response', async () => {
    const calls: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const plugins = withOneRequestHook([
      { onRequest: () => gate.then(() => void calls.push('page')) },
      { onRequest: () => void calls.push('after') },
    ] as never);
    const done = run(plugins, payload().p);
    expect(calls).toEqual([]);
    release();
    await done;
    expect(calls).toEqual(['page', 'after']);

    const ending = withOneRequestHook([
      { onRequest: ({ endResponse }: { endResponse: (r: Response) => void }) => Promise.resolve().then(() => endResponse(new Response(null, { status: 204 }))) },
      { onRequest: () => void calls.push('never') },
    ] as never);
    const { p, ended } = payload();
    await run(ending, p);
    expect(ended).toHaveLength(1);
    expect(calls).not.toContain('never');
  });

  it('lets a later hook see the request an earlier one set, and still tells yoga', () => {
    const told: unknown[] = [];
    const replaced = new Request('https://localhost/graphql');
    const seen: unknown[] = [];
    const plugins = withOneRequestHook([
      { onRequest: ({ setRequest }: { setRequest: (r: Request) => void }) => setRequest(replaced) },
      { onRequest: ({ request }: { request: Request }) => void seen.push(request) },
    ] as never);
    run(plugins, { ...payload().p, request: new Request('https://localhost/other'), setRequest: (r: Request) => void told.push(r), setRequestHandler: () => undefined });
    expect(seen).toEqual([replaced]);
    expect(told).toEqual([replaced]);
  });
});
