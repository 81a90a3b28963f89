import pkg from '../package.json' with { type: 'json' };

/** Baked in by build.mjs (CARDLINK_BUILD_VERSION, else package.json), so a release package really is its version. */
declare const __CARDLINK_BUILD_VERSION__: string | undefined;

const built = typeof __CARDLINK_BUILD_VERSION__ === 'string' ? __CARDLINK_BUILD_VERSION__ : undefined;

export const CONNECTOR_VERSION: string = process.env.CARDLINK_VERSION_OVERRIDE ?? built ?? pkg.version;
