import { VersionConflictError } from '../../src/domain/errors';
import { clientBody } from '../factories/clients';
import { startApiHarness, type ApiHarness } from '../support/api-harness';

/** If-Match failures are 412 precondition_failed problems whose detail says what to send instead. */
describe('If-Match preconditions', () => {
  let api: ApiHarness;
  let clientId: string;
  beforeAll(async () => {
    // Parsing If-Match happens before any database work: one backend says all there is to say.
    api = await startApiHarness('sqlite');
    clientId = (await api.post('/api/v1/clients', clientBody()).expect(201)).body.id;
  });
  afterAll(async () => {
    await api.close();
  });

  it('explains that a weak tag never matches, and names the strong one to send', async () => {
    const res = await api.patch(`/api/v1/clients/${clientId}`, { notes: 'x' }).set('If-Match', 'W/"1"').expect(412);
    expect(res.body).toMatchObject({ status: 412, code: 'precondition_failed', title: 'Precondition failed' });
    expect(res.body.detail).toBe('If-Match W/"1" is a weak tag, and a weak tag never matches a write; send the strong ETag "1"');
  });

  it.each([['abc'], ['"1", "2"'], ['<script>x</script>'], ['"-1"']])('asks for a quoted version when If-Match is %s', async (header) => {
    const res = await api.del(`/api/v1/clients/${clientId}`).set('If-Match', header).expect(412);
    expect(res.body).toMatchObject({ status: 412, code: 'precondition_failed' });
    expect(res.body.detail).toBe('If-Match must be one quoted version such as "3" (the ETag of the resource), or *');
  });

  it('names both versions when the tag is stale, and leaves the resource as it was', async () => {
    const res = await api.patch(`/api/v1/clients/${clientId}`, { notes: 'x' }).set('If-Match', '"7"').expect(412);
    expect(res.body).toMatchObject({ code: 'precondition_failed', detail: 'The resource is at version 1, not 7' });
    const current = await api.get(`/api/v1/clients/${clientId}`).expect(200);
    expect(current.body.version).toBe(1);
  });

  it('never reports a version of -1 when the write named none', () => {
    // Services pass -1 as "no expected version" when a write without If-Match lost a race.
    for (const expected of [undefined, -1]) {
      const { message } = new VersionConflictError(expected, 4);
      expect(message).toBe('The resource changed while this request ran; it is now at version 4');
    }
  });
});
