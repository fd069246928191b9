import { synthesizeDefaultPlatform, templates } from '../support/cloud-assembly';

// Every stack of the default app. Asset hashes are masked by the snapshot serializer; the
// behaviour that matters is asserted property by property in the other tests of this folder.
const all = templates(synthesizeDefaultPlatform().dir);

test.each(Object.keys(all))('%s matches its snapshot', (id) => {
  expect(all[id]).toMatchSnapshot();
});
