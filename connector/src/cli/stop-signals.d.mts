export function installStopSignals(): void;
export function claimStopSignals(close: () => Promise<void>): void;
export function releaseStopSignals(): void;
export function isStopping(): boolean;
