/** One page of a keyset-paginated list. */
export interface Page<T> {
  readonly data: T[];
  /** Position after the last item, or null when this is the last page. */
  readonly nextPosition: KeysetPosition | null;
}

/** Where a page starts: the sort key value and the id of the last row already seen. */
export interface KeysetPosition {
  readonly value: string;
  readonly id: string;
}
