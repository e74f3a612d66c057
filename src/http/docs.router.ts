import Router from '@koa/router';
import { DOCS_CONTENT_SECURITY_POLICY, renderDocsPage } from './docs/docs-page';
import { readPackageAsset, type PackageAsset } from './docs/package-asset';

export const DOCS_PATH = '/docs';
export const DOCS_ASSET_PATH = '/docs/assets/redoc.standalone.js';

/*
 * Redoc (2.x standalone bundle) renders the reference rather than Scalar: one self-contained
 * 1.1 MB file (Scalar's browser bundle is about 4 MB plus chunks, with an AI chat and analytics
 * plugins) that fetches nothing but the spec, so the page works offline and under a same-origin
 * CSP; Redocly still ships releases of the 2.x line. Redoc 3 is a React component library with
 * no standalone bundle, hence ^2 in package.json.
 */
const RENDERER = 'redoc/bundles/redoc.standalone.js';

/*
 * The one thing the bundle loads from elsewhere: the logo of its "API docs by Redocly" sidebar
 * link, from Redocly's CDN. An empty src makes the <img> fail without a request, and Redoc then
 * drops it (its onError handler); the link text stays. Without this the CSP would still block
 * the request, but every page view would log a violation.
 */
const REDOCLY_LOGO = /"https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini\.svg"/g;
const withoutRemoteLogo = (source: string): string => source.replace(REDOCLY_LOGO, '""');

const ONE_YEAR = 365 * 24 * 60 * 60;

// Read once per process: apps are built per test, and the bundle is a megabyte.
let renderer: PackageAsset | undefined;

/** GET /docs: the HTML API reference of /openapi.json, served from the app's own assets. */
export function createDocsRouter(): Router {
  renderer ??= readPackageAsset(RENDERER, withoutRemoteLogo);
  const asset = renderer;
  const page = renderDocsPage({
    // The hash in the query changes with the bundle, so the asset can be cached for good.
    scriptUrl: `${DOCS_ASSET_PATH}?v=${asset.hash}`,
    specUrl: '/openapi.json',
  });

  const router = new Router();
  router.get(DOCS_PATH, (ctx) => {
    ctx.set('Content-Security-Policy', DOCS_CONTENT_SECURITY_POLICY);
    // The one document the app serves: what it links to learns nothing of where it was read.
    ctx.set('Referrer-Policy', 'no-referrer');
    // Revalidated on every visit so that a new bundle hash is picked up after a deploy.
    ctx.set('Cache-Control', 'no-cache');
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = page;
  });

  router.get(DOCS_ASSET_PATH, (ctx) => {
    const gzip = ctx.acceptsEncodings('gzip', 'identity') === 'gzip';
    ctx.status = 200;
    ctx.vary('Accept-Encoding');
    ctx.set('Cache-Control', `public, max-age=${ONE_YEAR}, immutable`);
    // One strong ETag per representation: the gzipped bytes are not the plain ones.
    ctx.set('ETag', `"${asset.hash}${gzip ? '-gz' : ''}"`);
    if (ctx.fresh) {
      ctx.status = 304;
      return;
    }
    ctx.type = 'text/javascript; charset=utf-8';
    if (gzip) ctx.set('Content-Encoding', 'gzip');
    ctx.body = gzip ? asset.gzipped() : asset.body;
  });
  return router;
}
