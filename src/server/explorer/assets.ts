import { readdirSync, readFileSync } from 'node:fs';

/** The explorer's static files: next to this module in `assets/` (copied into `dist` by the build). */
const ASSET_DIR = new URL('./assets/', import.meta.url);

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
};

/** One static file: its bytes and content type. */
export interface Asset {
  readonly body: Buffer;
  readonly contentType: string;
}

/**
 * Every file of the assets folder, by name. Only these names are ever served: a request for
 * anything else (`../local-server.ts`, `%2e%2e`) matches no key.
 */
export function loadAssets(): ReadonlyMap<string, Asset> {
  // Read once per process: every server started in it serves the same files.
  loaded ??= readAssets();
  return loaded;
}

let loaded: ReadonlyMap<string, Asset> | undefined;

function readAssets(): ReadonlyMap<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const name of readdirSync(ASSET_DIR)) {
    const type = CONTENT_TYPES[name.split('.').at(-1) ?? ''];
    if (type) assets.set(name, { body: readFileSync(new URL(name, ASSET_DIR)), contentType: type });
  }
  return assets;
}
