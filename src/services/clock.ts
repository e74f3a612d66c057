/** The current instant as ISO-8601 UTC with milliseconds; injected so tests can hold time still. */
export type Clock = () => string;

export const systemClock: Clock = () => new Date().toISOString();
