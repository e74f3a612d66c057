import type { ClientFields } from '../../src/domain/client';

let sequence = 0;

/** Valid client fields; each call differs, overrides win. */
export function clientFields(overrides: Partial<ClientFields> = {}): ClientFields {
  sequence += 1;
  return {
    name: `Client ${sequence}`,
    email: `client${sequence}@example.com`,
    phone: null,
    company: null,
    status: 'lead',
    tags: [],
    notes: null,
    ...overrides,
  };
}

/** A JSON body for POST /clients. */
export function clientBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  sequence += 1;
  return { name: `Client ${sequence}`, email: `client${sequence}@example.com`, ...overrides };
}
