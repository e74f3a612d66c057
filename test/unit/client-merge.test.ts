import { MAX_CLIENT_TAGS, mergeClientFields, mergedTagsError, mergeSourceErrors } from '../../src/domain/client-merge';
import { makeClient } from '../factories/records';

describe('mergeClientFields', () => {
  it('keeps every value the survivor has, and fills its empty ones from the first source that has one, in the order given', () => {
    const survivor = makeClient({ name: 'Hélène Dupont', email: 'helene@example.fr', phone: null, company: '  ', notes: null });
    const first = makeClient({ name: 'H. Dupont', email: 'h.dupont@example.fr', phone: null, company: 'Boulangerie Dupont', notes: '' });
    const second = makeClient({ name: 'Helene', email: null, phone: '06 12 34 56 78', company: 'Autre', notes: 'Prefers mornings' });
    const { fields, changed } = mergeClientFields(survivor, [first, second]);
    expect(fields).toEqual({
      name: 'Hélène Dupont',
      email: 'helene@example.fr',
      phone: '06 12 34 56 78',
      company: 'Boulangerie Dupont',
      status: survivor.status,
      tags: [],
      notes: 'Prefers mornings',
    });
    expect(changed).toEqual(['phone', 'company', 'notes']);
  });

  it("keeps the survivor's status and name, whatever the sources say", () => {
    const survivor = makeClient({ name: 'Ada', status: 'lead' });
    const source = makeClient({ name: 'Ada Lovelace', status: 'customer' });
    const { fields, changed } = mergeClientFields(survivor, [source]);
    expect(fields.name).toBe('Ada');
    expect(fields.status).toBe('lead');
    expect(changed).toEqual([]);
  });

  it("unites tags: the survivor's in its order, then each source's new ones in theirs", () => {
    const survivor = makeClient({ tags: ['vip', 'paris'] });
    const { fields, changed } = mergeClientFields(survivor, [
      makeClient({ tags: ['lyon', 'vip'] }),
      makeClient({ tags: ['paris', 'b2b', 'lyon'] }),
    ]);
    expect(fields.tags).toEqual(['vip', 'paris', 'lyon', 'b2b']);
    expect(changed).toEqual(['tags']);
  });

  it('changes nothing when the sources bring nothing new', () => {
    const survivor = makeClient({ email: 'a@example.com', tags: ['x'], notes: 'n', phone: '1', company: 'C' });
    const { fields, changed } = mergeClientFields(survivor, [makeClient({ email: 'b@example.com', tags: ['x'] })]);
    expect(changed).toEqual([]);
    expect(fields).toEqual({
      name: survivor.name,
      email: 'a@example.com',
      phone: '1',
      company: 'C',
      status: survivor.status,
      tags: ['x'],
      notes: 'n',
    });
  });
});

describe('mergeSourceErrors', () => {
  const survivor = '019ab3c4-5d6e-7f80-9a1b-2c3d4e5f6a70';
  const a = '019ab3c4-5d6e-7f80-9a1b-2c3d4e5f6a71';
  const b = '019ab3c4-5d6e-7f80-9a1b-2c3d4e5f6a72';

  it('accepts distinct sources other than the survivor', () => {
    expect(mergeSourceErrors(survivor, [a, b])).toEqual([]);
  });

  it('names the survivor given as its own source, and every repeat after the first', () => {
    expect(mergeSourceErrors(survivor, [a, survivor, a, b, a])).toEqual([
      { path: 'sources.1', message: expect.stringContaining('cannot be merged into itself') },
      { path: 'sources.2', message: 'repeats a source given earlier' },
      { path: 'sources.4', message: 'repeats a source given earlier' },
    ]);
  });
});

describe('mergedTagsError', () => {
  const tags = (count: number) => Array.from({ length: count }, (_, i) => `tag-${i}`);

  it(`allows up to ${MAX_CLIENT_TAGS} tags and refuses more, saying how many the merge would make`, () => {
    const survivor = makeClient({ tags: tags(30) });
    expect(mergedTagsError(mergeClientFields(survivor, [makeClient({ tags: tags(MAX_CLIENT_TAGS) })]).fields)).toBeNull();
    const tooMany = mergeClientFields(survivor, [makeClient({ tags: tags(MAX_CLIENT_TAGS + 1) })]).fields;
    expect(mergedTagsError(tooMany)).toEqual({ path: 'sources', message: expect.stringContaining(`${MAX_CLIENT_TAGS + 1} tags`) });
  });
});
