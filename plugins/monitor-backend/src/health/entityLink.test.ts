import { linkJobToEntity, ownersOfJob } from './entityLink';

describe('linkJobToEntity', () => {
  it.each([
    [{}, null],
    [{ report: 'component:default/r' }, ['component:default/r', 'report']],
    [
      { catalog: 'component:default/c', report: 'component:default/r' },
      ['component:default/c', 'catalog'],
    ],
    [
      {
        config: 'component:default/k',
        catalog: 'component:default/c',
        report: 'component:default/r',
      },
      ['component:default/k', 'config'],
    ],
    [{ config: null, catalog: null, report: null }, null],
  ])(
    'links %j to %j: config, else the catalog, else the reports',
    (names, link) => {
      expect(linkJobToEntity(names)).toEqual(
        link && { entityRef: link[0], source: link[1] },
      );
    },
  );
});

describe('ownersOfJob', () => {
  const owners = new Map([
    ['component:default/a', ['group:default/team-a']],
    ['component:default/orphan', []],
  ]);

  it("is the entity's owners", () => {
    expect(
      ownersOfJob('component:default/a', owners, 'group:default/ops'),
    ).toEqual(['group:default/team-a']);
  });

  it('is the default owner for a job linked to no entity', () => {
    expect(ownersOfJob(null, owners, 'group:default/ops')).toEqual([
      'group:default/ops',
    ]);
    expect(ownersOfJob(null, owners, undefined)).toEqual([]);
  });

  it('is nobody for an entity the catalog lacks or that has no owner', () => {
    expect(
      ownersOfJob('component:default/gone', owners, 'group:default/ops'),
    ).toEqual([]);
    expect(
      ownersOfJob('component:default/orphan', owners, 'group:default/ops'),
    ).toEqual([]);
  });
});
