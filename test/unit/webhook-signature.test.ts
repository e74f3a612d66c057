import { Webhook } from 'standardwebhooks';
import { deliveryBody, messageIdOf, signAttempt } from '../../src/webhooks/signature';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

describe('Standard Webhooks signatures', () => {
  it('signs exactly as the standardwebhooks package does, and it verifies the result', () => {
    const at = new Date();
    const body = deliveryBody('client.updated', '2026-11-24T18:00:00.000Z', '{"id":"c1","name":"Zoë","version":2}');
    const headers = signAttempt(SECRET, messageIdOf('0193a1b2-0000-7000-8000-000000000001'), at, body);
    const webhook = new Webhook(SECRET);

    expect(headers['webhook-id']).toBe('msg_0193a1b2-0000-7000-8000-000000000001');
    expect(headers['webhook-timestamp']).toBe(String(Math.floor(at.getTime() / 1000)));
    expect(headers['webhook-signature']).toBe(webhook.sign(headers['webhook-id'], at, body));
    expect(webhook.verify(body, headers)).toEqual({
      type: 'client.updated',
      timestamp: '2026-11-24T18:00:00.000Z',
      data: { id: 'c1', name: 'Zoë', version: 2 },
    });
  });

  it('is refused with another secret or a changed body', () => {
    const body = deliveryBody('client.created', '2026-11-24T18:00:00.000Z', '{"id":"c1"}');
    const headers = signAttempt(SECRET, 'msg_1', new Date(), body);
    expect(() => new Webhook('whsec_' + Buffer.alloc(24, 7).toString('base64')).verify(body, headers)).toThrow();
    expect(() => new Webhook(SECRET).verify(body.replace('c1', 'c2'), headers)).toThrow();
  });
});
