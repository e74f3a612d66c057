export interface DocsPageOptions {
  /** Same-origin URL of the renderer bundle. */
  scriptUrl: string;
  /** Same-origin URL of the OpenAPI document the page renders. */
  specUrl: string;
}

/**
 * The policy the page runs under. Redoc needs three allowances, nothing from another origin:
 * styled-components injects <style> elements ('unsafe-inline' styles), its search index runs in
 * a Worker built from a blob: URL, and its icons are data: URIs.
 */
export const DOCS_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const escapeAttribute = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The HTML shell. No inline script: the standalone bundle initialises itself from the <redoc>
 * element, whose attributes are Redoc's options in kebab-case.
 */
export function renderDocsPage({ scriptUrl, specUrl }: DocsPageOptions): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="description" content="Reference of the CRM REST API: clients, exchanges, errors, pagination.">
  <title>CRM API reference</title>
  <!-- No favicon request: the app has none to serve. -->
  <link rel="icon" href="data:,">
</head>
<body style="margin: 0">
  <noscript>
    <p>This reference needs JavaScript. The raw OpenAPI 3.1 document is at
    <a href="${escapeAttribute(specUrl)}">${escapeAttribute(specUrl)}</a>.</p>
  </noscript>
  <redoc spec-url="${escapeAttribute(specUrl)}" expand-responses="200,201" required-props-first="true"></redoc>
  <script src="${escapeAttribute(scriptUrl)}"></script>
</body>
</html>
`;
}
