// What the slide says about itself: file, vendor, size, levels (downsample, µm/px), objective,
// associated images as small pictures.
import { useEffect, useState } from 'react';
import type { PooledSlide } from '../../engine/types.ts';
import type { SlideMppStatus } from '../../core/scanMpp.ts';
import { toImageData } from '../../export/planImage.ts';

function AssociatedPicture({ slide, name }: { slide: PooledSlide; name: string }) {
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    const ac = new AbortController();
    let made: string | null = null;
    slide
      .associatedImage(name, { signal: ac.signal })
      .then(async (img) => {
        const c = document.createElement('canvas');
        c.width = img.width;
        c.height = img.height;
        c.getContext('2d')!.putImageData(toImageData(img), 0, 0);
        const blob = await new Promise<Blob | null>((r) => c.toBlob(r));
        if (!blob || ac.signal.aborted) return;
        made = URL.createObjectURL(blob);
        setUrl(made);
      })
      .catch((e: unknown) => !ac.signal.aborted && setFailed(e instanceof Error ? e.message : String(e)));
    return () => {
      ac.abort();
      if (made) URL.revokeObjectURL(made);
    };
  }, [slide, name]);
  return (
    <figure className="assoc">
      {url ? <img src={url} alt={`${name} image`} /> : <div className="assoc-ph">{failed ? 'unreadable' : '…'}</div>}
      <figcaption>{name}</figcaption>
    </figure>
  );
}

const fmt = (n: number) => n.toLocaleString('en-US');

export function SlideFacts({ slide, name, files, mppStatus }: { slide: PooledSlide; name: string; files: number; mppStatus: SlideMppStatus | null }) {
  const info = slide.info;
  // an implausible value (a 72-dpi TIFF default) is shown as what the file says, and not used
  const mpp = mppStatus?.kind === 'recorded' ? mppStatus.mpp : null;
  const l0 = info.levels[0];
  const objective = info.properties['openslide.objective-power'];
  return (
    <section className="panel facts" aria-label="Slide facts" data-testid="slide-facts">
      <h2 title={name}>{name}</h2>
      <dl>
        <dt>Vendor</dt>
        <dd data-testid="vendor">{info.vendor ?? 'unknown'}</dd>
        <dt>Level 0</dt>
        <dd data-testid="level0-size">
          {fmt(l0.width)} × {fmt(l0.height)} px
        </dd>
        <dt>µm/px</dt>
        <dd data-testid="facts-mpp">
          {mpp ? `${mpp.x.toFixed(4)} × ${mpp.y.toFixed(4)}` : mppStatus?.kind === 'implausible' ? <span title={mppStatus.why}>{`${Number(mppStatus.mpp.x.toPrecision(4))} in the file — not a scan resolution, not used`}</span> : 'not recorded'}
        </dd>
        <dt>Objective</dt>
        <dd>{objective ? `${objective}×` : 'not recorded'}</dd>
        {files > 1 && (
          <>
            <dt>Files</dt>
            <dd>{files}</dd>
          </>
        )}
      </dl>
      <table className="levels" aria-label="Pyramid levels">
        <thead>
          <tr>
            <th>level</th>
            <th>size</th>
            <th>downsample</th>
            <th>µm/px</th>
          </tr>
        </thead>
        <tbody>
          {info.levels.map((l, i) => (
            <tr key={i}>
              <td>{i}</td>
              <td>
                {fmt(l.width)}×{fmt(l.height)}
              </td>
              <td>{l.downsample.toFixed(l.downsample % 1 ? 3 : 0)}</td>
              <td>{mpp ? ((mpp.x * l.downsample + mpp.y * l.downsample) / 2).toFixed(3) : '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {info.associated.length > 0 && (
        <div className="assoc-row">
          {info.associated.map((a) => (
            <AssociatedPicture key={a.name} slide={slide} name={a.name} />
          ))}
        </div>
      )}
    </section>
  );
}
