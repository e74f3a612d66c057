/**
 * Tells the webhook dispatcher that events may be waiting (a write that wrote to the outbox, a
 * retry asked for), so it delivers now instead of at its next slow poll. A hint only: the
 * dispatcher reads the outbox to know what there is, and calling it costs nothing when no
 * dispatcher runs.
 */
export interface OutboxSignal {
  notify(): void;
}

export const NO_OUTBOX_SIGNAL: OutboxSignal = { notify: () => undefined };
