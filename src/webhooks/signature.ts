import { createHmac } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';

/** The Standard Webhooks headers of one attempt (the body is signed as sent, byte for byte). */
export type SignedHeaders = {
  readonly 'webhook-id': string;
  readonly 'webhook-timestamp': string;
  readonly 'webhook-signature': string;
};

/**
 * The `webhook-id` of a delivery: one per event and subscription, the same on every attempt,
 * so a receiver that sees it twice knows it is a retry (or a redelivery after a crash).
 */
export function messageIdOf(deliveryId: string): string {
  return `msg_${deliveryId}`;
}

/**
 * Signs one attempt the Standard Webhooks way: `v1,` + base64 HMAC-SHA256 of
 * `<id>.<timestamp>.<body>`, keyed with the secret's bytes (the base64 after `whsec_`).
 * The timestamp is the attempt's, so a receiver's replay window applies to each retry anew.
 */
export function signAttempt(secret: string, messageId: string, at: Date, body: string): SignedHeaders {
  const timestamp = Math.floor(at.getTime() / 1000).toString();
  const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
  const signature = createHmac('sha256', key).update(`${messageId}.${timestamp}.${body}`).digest('base64');
  return { 'webhook-id': messageId, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` };
}

/**
 * The delivered body. `data` is the stored payload spliced in as is: it is already the JSON the
 * API showed, and re-serialising it on every attempt would only risk changing its bytes.
 */
export function deliveryBody(type: string, eventCreatedAt: string, payload: string): string {
  return `{"type":${JSON.stringify(type)},"timestamp":${JSON.stringify(eventCreatedAt)},"data":${payload}}`;
}
