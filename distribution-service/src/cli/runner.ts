import type { Command } from 'commander';
import type { ServiceContext } from '../services/context.js';
import { adminContext, type StorageOptions } from './context.js';
import type { CliIo } from './io.js';
import { claimStopSignals, interruptedExitCode } from './stop-signals.js';

export interface CliEnv {
  io: CliIo;
  /** Wraps an admin action: opens the database named by --db/--data-dir, runs, closes it. */
  withContext<A extends unknown[]>(
    fn: (ctx: ServiceContext, opts: Record<string, unknown>, ...args: A) => Promise<void>,
  ): (...args: [...A, Record<string, unknown>, Command]) => Promise<void>;
}

export function cliEnv(io: CliIo): CliEnv {
  return {
    io,
    withContext<A extends unknown[]>(fn: (ctx: ServiceContext, opts: Record<string, unknown>, ...args: A) => Promise<void>) {
      return async (...all: [...A, Record<string, unknown>, Command]) => {
        const cmd = all[all.length - 1] as Command;
        // commander passes positional arguments, then the options object, then the command.
        const args = all.slice(0, -2) as unknown as A;
        const opts = cmd.optsWithGlobals() as Record<string, unknown>;
        const ctx = await adminContext(opts as StorageOptions);
        // Cut short by a signal: close the database (an open transaction rolls back) and say so.
        claimStopSignals(() => ctx.repo.close(), interruptedExitCode);
        try {
          await fn(ctx, opts, ...args);
        } finally {
          await ctx.repo.close();
        }
      };
    },
  };
}

export const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
