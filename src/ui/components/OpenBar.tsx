// Ways in: file picker, folder picker (MIRAX/VMS), the bundled demo slide.
import { useRef } from 'react';
import { fromFileList, type PickedFile } from '../files.ts';

interface Props {
  onFiles(files: PickedFile[]): void;
  onDemo(): void;
  busy: boolean;
}

export function OpenBar({ onFiles, onDemo, busy }: Props) {
  const file = useRef<HTMLInputElement>(null);
  const folder = useRef<HTMLInputElement>(null);
  const pick = (list: FileList | null) => {
    if (list && list.length > 0) onFiles(fromFileList(list));
  };
  return (
    <div className="openbar">
      <button type="button" onClick={() => file.current?.click()} disabled={busy}>
        Open slide…
      </button>
      <input
        ref={file}
        type="file"
        multiple
        hidden
        data-testid="file-input"
        aria-label="Slide files"
        onChange={(e) => {
          pick(e.target.files);
          e.target.value = '';
        }}
      />
      <button type="button" onClick={() => folder.current?.click()} disabled={busy} title="MIRAX (.mrxs + folder) or a folder holding one slide">
        Open folder…
      </button>
      <input
        ref={folder}
        type="file"
        hidden
        data-testid="folder-input"
        aria-label="Slide folder"
        {...({ webkitdirectory: '' } as Record<string, string>)}
        onChange={(e) => {
          pick(e.target.files);
          e.target.value = '';
        }}
      />
      <button type="button" className="primary" onClick={onDemo} disabled={busy} data-testid="demo">
        Try the demo slide
      </button>
    </div>
  );
}
