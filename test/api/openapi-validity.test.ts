import { compileErrors, validate } from '@readme/openapi-parser';
import { buildOpenApiDocument } from '../../src/http/openapi';

/*
 * @readme/openapi-parser checks the document against the official OpenAPI 3.1 JSON Schema and
 * adds the rules a schema cannot express (path parameters declared and required, unique
 * operationIds and parameters, arrays with items).
 */
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

interface Operation {
  summary?: string;
  responses?: Record<string, { content?: Record<string, unknown> }>;
}

/** The operations of the document as `METHOD /path` with their objects. */
function operationsOf(document: { paths?: Record<string, unknown> }): Array<[string, Operation]> {
  return Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    METHODS.filter((method) => (item as Record<string, unknown>)[method] !== undefined).map((method): [string, Operation] => [
      `${method.toUpperCase()} ${path}`,
      (item as Record<string, Operation>)[method] as Operation,
    ]),
  );
}

describe('the OpenAPI document', () => {
  const document = buildOpenApiDocument();

  it('is a valid OpenAPI 3.1 document', async () => {
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    // The validator dereferences in place: give it a copy.
    const result = await validate(structuredClone(document) as Parameters<typeof validate>[0]);
    if (!result.valid) throw new Error(`invalid OpenAPI document:\n${compileErrors(result)}`);
    expect(result.valid).toBe(true);
    expect(result.warnings).toEqual([]);
  });

  it('is checked by a validator that does reject a broken copy', async () => {
    // Guards the test above against a validator that passes anything: an undeclared path
    // parameter and a response without its required description.
    const broken = structuredClone(document) as { paths: Record<string, unknown> };
    broken.paths['/api/v1/things/{thingId}'] = { get: { summary: 'x', responses: { 200: {} } } };
    const result = await validate(broken as Parameters<typeof validate>[0]);
    expect(result.valid).toBe(false);
  });

  it('covers every resource path of the API', () => {
    expect(Object.keys(document.paths ?? {})).toEqual(
      expect.arrayContaining([
        '/api/v1/clients',
        '/api/v1/clients/{id}',
        '/api/v1/clients/{id}/exchanges',
        '/api/v1/exchanges',
        '/api/v1/exchanges/{id}',
        '/health',
      ]),
    );
  });

  it('gives every operation a summary', () => {
    const operations = operationsOf(document);
    expect(operations.length).toBeGreaterThanOrEqual(12);
    const withoutSummary = operations.filter(([, operation]) => !operation.summary?.trim()).map(([name]) => name);
    expect(withoutSummary).toEqual([]);
  });

  const problemStatuses = (operation: Operation, pattern: RegExp): string[] =>
    Object.entries(operation.responses ?? {})
      .filter(([status, response]) => pattern.test(status) && response.content?.['application/problem+json'] !== undefined)
      .map(([status]) => status);

  it('documents at least one 4xx problem+json response on every API operation', () => {
    const lacking = operationsOf(document)
      .filter(([name]) => name.includes(' /api/'))
      .filter(([, operation]) => problemStatuses(operation, /^4(\d\d|XX)$/).length === 0)
      .map(([name]) => name);
    expect(lacking).toEqual([]);
  });

  it('documents how /health fails, as problem details', () => {
    // No 4xx is possible on /health (no auth, no input); its failure is the 503.
    const health = operationsOf(document).find(([name]) => name === 'GET /health')?.[1];
    expect(health).toBeDefined();
    expect(problemStatuses(health ?? {}, /^[45]\d\d$/)).toContain('503');
  });

  it('declares every error body as application/problem+json and nothing else', () => {
    const offenders = operationsOf(document).flatMap(([name, operation]) =>
      Object.entries(operation.responses ?? {})
        .filter(([status, response]) => /^[45]/.test(status) && response.content !== undefined)
        .filter(([, response]) => Object.keys(response.content ?? {}).join() !== 'application/problem+json')
        .map(([status]) => `${name} ${status}`),
    );
    expect(offenders).toEqual([]);
  });

  it('uses the summaries the /docs page is checked against', () => {
    const summaries = operationsOf(document).map(([, operation]) => operation.summary);
    expect(summaries).toEqual(
      expect.arrayContaining([
        'List clients',
        'Create a client',
        'Get a client',
        'Update a client',
        'Delete a client',
        "List a client's exchanges",
        'Record an exchange',
        'List exchanges',
        'Get an exchange',
        'Update an exchange',
        'Delete an exchange',
        'Health check',
      ]),
    );
  });
});
