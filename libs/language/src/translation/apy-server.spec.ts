import { patchMode } from './apy-server';

const RUS_UKR =
  "lt-proc -w '/usr/share/apertium/apertium-rus-ukr/rus-ukr.automorf.bin' | cg-proc -w '/usr/share/apertium/apertium-rus-ukr/rus-ukr.rlx.bin' | apertium-tagger -g $2 '/usr/share/apertium/apertium-rus-ukr/rus-ukr.prob' | apertium-pretransfer | lt-proc $1 '/usr/share/apertium/apertium-rus-ukr/rus-ukr.autogen.bin'\n";
const ENG_SPA =
  "lt-proc '/usr/share/apertium/apertium-eng-spa/eng-spa.automorf.bin' | apertium-tagger -g $2 '/usr/share/apertium/apertium-eng-spa/eng-spa.prob' | apertium-pretransfer\n";

describe('patchMode', () => {
  it('replaces the segfaulting tagger stage with cg-proc on the pair grammar', () => {
    const patched = patchMode('rus-ukr', RUS_UKR);
    expect(patched).not.toContain('apertium-tagger');
    expect(patched.split(' | ')).toEqual([
      "lt-proc -w '/usr/share/apertium/apertium-rus-ukr/rus-ukr.automorf.bin'",
      "cg-proc -w '/usr/share/apertium/apertium-rus-ukr/rus-ukr.rlx.bin'",
      "cg-proc -1 -n -w '/usr/share/apertium/apertium-rus-ukr/rus-ukr.rlx.bin'",
      'apertium-pretransfer',
      "lt-proc $1 '/usr/share/apertium/apertium-rus-ukr/rus-ukr.autogen.bin'\n",
    ]);
  });

  it('leaves pairs whose tagger works untouched', () => {
    expect(patchMode('eng-spa', ENG_SPA)).toBe(ENG_SPA);
  });
});
