export const CLIENT_STATUSES = ['lead', 'prospect', 'customer', 'inactive'] as const;
export type ClientStatus = (typeof CLIENT_STATUSES)[number];

/** A person or organisation the team deals with. The API shape and the domain shape are one. */
export interface Client {
  readonly id: string;
  readonly name: string;
  readonly email: string | null;
  readonly phone: string | null;
  readonly company: string | null;
  readonly status: ClientStatus;
  readonly tags: readonly string[];
  readonly notes: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
}

/** The fields a caller controls. */
export type ClientFields = Pick<Client, 'name' | 'email' | 'phone' | 'company' | 'status' | 'tags' | 'notes'>;

export const CLIENT_SORTS = ['-createdAt', 'createdAt', 'name', '-name', 'updatedAt', '-updatedAt'] as const;
export type ClientSort = (typeof CLIENT_SORTS)[number];
