import { NotFoundError, ValidationError } from '../../src/domain/errors';
import { InMemoryUnitOfWork } from '../../src/repositories/in-memory/in-memory-unit-of-work';
import { WebhookService } from '../../src/services/webhook.service';
import { TestClock } from '../factories/services';

function countingSignal() {
  const signal = { notified: 0, notify: () => void (signal.notified += 1) };
  return signal;
}

describe('WebhookService', () => {
  const fields = { url: 'https://hooks.example.com/crm', events: ['client.created'] as const, active: true, description: null };
  const setUp = (allowPrivateNetworks = false) => {
    const signal = countingSignal();
    const clock = new TestClock();
    const service = new WebhookService(new InMemoryUnitOfWork(), clock.now, { allowPrivateNetworks }, signal);
    return { signal, clock, service };
  };

  it('wakes the dispatcher after a create, a test, a retry and a change, not after a failed one or a no-op', async () => {
    const { signal, service } = setUp();
    const webhook = await service.create({ ...fields, events: [...fields.events] });
    expect(signal.notified).toBe(1);
    const delivery = await service.test(webhook.id);
    expect(signal.notified).toBe(2);
    await service.retryDelivery(webhook.id, delivery.id);
    expect(signal.notified).toBe(3);
    await expect(service.retryDelivery(webhook.id, '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b')).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.test('0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b')).rejects.toBeInstanceOf(NotFoundError);
    expect(signal.notified).toBe(3);
    await service.update(webhook.id, { active: false });
    await service.update(webhook.id, { active: false });
    expect(signal.notified).toBe(4);
    await service.update(webhook.id, { active: true });
    expect(signal.notified).toBe(5);
  });

  it('refuses a non-public literal or localhost unless private networks are allowed', async () => {
    const strict = setUp().service;
    for (const url of ['http://127.0.0.1/x', 'http://[::1]/x', 'http://LOCALHOST./x', 'http://192.168.0.2/x']) {
      await expect(strict.create({ ...fields, events: [...fields.events], url })).rejects.toBeInstanceOf(ValidationError);
    }
    const made = await strict.create({ ...fields, events: [...fields.events] });
    await expect(strict.update(made.id, { url: 'http://10.0.0.1/' })).rejects.toBeInstanceOf(ValidationError);
    const open = setUp(true).service;
    expect((await open.create({ ...fields, events: [...fields.events], url: 'http://127.0.0.1/x' })).url).toBe('http://127.0.0.1/x');
  });

  it('rotates to a new secret at the next version, and moves updatedAt forward', async () => {
    const { service } = setUp();
    const made = await service.create({ ...fields, events: [...fields.events] });
    const rotated = await service.rotateSecret(made.id);
    expect(rotated.secret).not.toBe(made.secret);
    expect(rotated.version).toBe(2);
    expect(rotated.updatedAt > made.updatedAt).toBe(true);
    expect(await service.get(made.id)).toEqual({ ...made, secret: undefined, version: 2, updatedAt: rotated.updatedAt });
  });
});
