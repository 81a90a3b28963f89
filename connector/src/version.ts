import pkg from '../package.json' with { type: 'json' };

export const CONNECTOR_VERSION: string = process.env.CARDLINK_VERSION_OVERRIDE ?? pkg.version;
