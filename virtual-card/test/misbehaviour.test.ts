import { describe, expect, it } from 'vitest';
import { MisbehaviourPlan } from '../src/card/misbehaviour.js';

const READ = Buffer.from('00b0000000', 'hex');
const SELECT = Buffer.from('00a4080c04df014031', 'hex');
const reply = Buffer.concat([Buffer.alloc(256, 0x41), Buffer.from('9000', 'hex')]);

describe('misbehaviour plan', () => {
  it('applies to matching INS only, after skip, count times', () => {
    const p = new MisbehaviourPlan();
    p.arm({ mode: 'truncated', ins: 0xb0, skip: 1, count: 2 });
    expect(p.apply(SELECT, Buffer.from('9000', 'hex')).reply.toString('hex')).toBe('9000');
    expect(p.apply(READ, reply).reply).toEqual(reply);
    expect(p.apply(READ, reply).reply).toHaveLength(1);
    expect(p.apply(READ, reply).reply).toHaveLength(1);
    expect(p.apply(READ, reply).reply).toEqual(reply);
    expect(p.pending).toBe(0);
  });

  it('garbage keeps the length but never a valid status word; overlong adds 300 bytes; hang delays', () => {
    const p = new MisbehaviourPlan();
    p.arm({ mode: 'garbage' });
    const g = p.apply(READ, reply).reply;
    expect(g).toHaveLength(reply.length);
    expect(g.equals(reply)).toBe(false);
    expect([0x60, 0x90]).not.toContain(g[g.length - 2]! & 0xf0);
    p.arm({ mode: 'overlong' });
    expect(p.apply(READ, reply).reply).toHaveLength(reply.length + 300);
    p.arm({ mode: 'hang' });
    expect(p.apply(READ, reply).delayMs).toBe(Infinity);
    p.arm({ mode: 'hang', hangMs: 50 });
    expect(p.apply(READ, reply)).toEqual({ reply, delayMs: 50 });
  });
});
