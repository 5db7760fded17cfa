// Keyboard shortcuts and a few words on how the app works.
export const SHORTCUTS: [string, string][] = [
  ['+ / −', 'zoom in / out around the centre'],
  ['0 or f', 'fit the slide to the window'],
  ['wheel, pinch', 'zoom around the pointer'],
  ['drag', 'pan'],
  ['click a box', 'toggle the tile in or out'],
  ['shift-click', 'inspect a tile without toggling'],
  ['[ / ]', 'inspect the previous / next tile'],
  ['x', 'toggle the inspected tile'],
  ['e', 'extract and download'],
  ['Esc', 'cancel the extraction, close this help'],
  ['o', 'open a slide'],
  ['d', 'open the demo slide'],
  ['?', 'show or hide this help'],
];

export function HelpOverlay({ onClose }: { onClose(): void }) {
  return (
    <div className="veil" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" onClick={onClose} data-testid="help">
      <div className="dialog" onClick={(e) => e.stopPropagation()}>
        <h2>Keyboard shortcuts</h2>
        <table>
          <tbody>
            {SHORTCUTS.map(([k, v]) => (
              <tr key={k}>
                <th>
                  <kbd>{k}</kbd>
                </th>
                <td>{v}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="note">
          Everything runs in this tab: OpenSlide compiled to WebAssembly reads the slide from your disk in Web Workers. Nothing is uploaded; after loading, the page makes no
          network request.
        </p>
        <button type="button" onClick={onClose} autoFocus>
          Close
        </button>
      </div>
    </div>
  );
}
