// Engine-internal paths never reach the user: userPaths maps the mount folder back to the user's.
import { describe, expect, it } from 'vitest';
import { userPaths, withoutMounts } from './files.ts';

describe('userPaths', () => {
  it('a dropped file: the browser mount (/slide/) becomes the drop’s own relative path', () => {
    expect(userPaths("Couldn't open /slide/missing-map.jpg: No such file or directory", '/slide/a.vms', 'a.vms')).toBe("Couldn't open missing-map.jpg: No such file or directory");
    expect(userPaths("Couldn't open /slide/case 1/slide/Data0001.dat", '/slide/case 1/slide.mrxs', 'case 1/slide.mrxs')).toBe("Couldn't open case 1/slide/Data0001.dat");
  });
  it('the command line: the Node mount (/hostN/) becomes the folder the user named', () => {
    expect(userPaths("Couldn't open /host12/missing-map.jpg: x", '/host12/a.vms', '/data/slides/a.vms')).toBe("Couldn't open /data/slides/missing-map.jpg: x");
    expect(userPaths("Couldn't open /host3/m.jpg", '/host3/a.vms', 'rel/a.vms')).toBe("Couldn't open rel/m.jpg");
  });
  it('a stray mount root elsewhere in a message loses only the root', () => {
    expect(withoutMounts("Can't read /host7/other/x.jpg and '/slide/y.jpg'")).toBe("Can't read other/x.jpg and 'y.jpg'");
    expect(withoutMounts('no paths here, /slides/ is not a mount')).toBe('no paths here, /slides/ is not a mount');
  });
});
