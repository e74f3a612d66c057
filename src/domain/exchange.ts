export const EXCHANGE_KINDS = ['call', 'email', 'meeting', 'message', 'note', 'other'] as const;
export type ExchangeKind = (typeof EXCHANGE_KINDS)[number];

export const EXCHANGE_DIRECTIONS = ['inbound', 'outbound'] as const;
export type ExchangeDirection = (typeof EXCHANGE_DIRECTIONS)[number];

/** One call, email, meeting, message or note with a client. */
export interface Exchange {
  readonly id: string;
  readonly clientId: string;
  readonly kind: ExchangeKind;
  readonly direction: ExchangeDirection | null;
  readonly subject: string | null;
  readonly body: string | null;
  readonly occurredAt: string;
  readonly followUpAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
}

export type ExchangeFields = Pick<Exchange, 'kind' | 'direction' | 'subject' | 'body' | 'occurredAt' | 'followUpAt'>;

export const EXCHANGE_SORTS = ['-occurredAt', 'occurredAt'] as const;
export type ExchangeSort = (typeof EXCHANGE_SORTS)[number];
