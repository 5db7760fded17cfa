// Keyboard shortcuts and a few words on how the app works.
export const SHORTCUTS: [string, string][] = [
  ['+ / −', 'zoom in / out around the centre'],
  ['0 or f', 'fit the slide to the window'],
  ['1', 'actual pixels (1:1): one screen pixel per level-0 pixel'],
  ['wheel, pinch', 'zoom around the pointer'],
  ['drag', 'pan'],
  ['click a box', 'toggle the tile in or out'],
  ['shift-click', 'inspect a tile without toggling'],
  ['[ / ]', 'inspect the previous / next tile'],
  ['x', 'toggle the inspected tile'],
  ['e', 'extract and download'],
  ['m', 'show or hide the tissue mask over the slide'],
  ['Esc', 'cancel the extraction, close this help; in a field: leave the field'],
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
        <p className="note" data-testid="help-typing">
          While a text or number field has focus, the keys are the field’s: no shortcut fires (a number field takes <kbd>e</kbd>, <kbd>+</kbd> and <kbd>-</kbd>), and the key
          badges on buttons are struck through and say “off”. <kbd>Esc</kbd> leaves the field.
        </p>
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
