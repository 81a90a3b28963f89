export declare function installStopSignals(): void;
export declare function claimStopSignals(close: () => Promise<void>, exitCode?: (signal: string) => number): void;
export declare function interruptedExitCode(signal: string): number;
export declare function isStopping(): boolean;
