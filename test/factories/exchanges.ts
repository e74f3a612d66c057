/** A JSON body for POST /clients/:id/exchanges. */
export function exchangeBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { kind: 'call', direction: 'outbound', subject: 'Follow-up call', ...overrides };
}
