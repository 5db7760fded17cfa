// “Settings restored from your last session — reset”: the plan parameters come back on every visit
// (hooks/useSettings.ts); when they are not the defaults, the controls say where they came from, so a
// grid shaped last week is not mistaken for the app's choice (hooks/restoredSettings.ts).
export function SettingsRestored({ onReset, onDismiss }: { onReset(): void; onDismiss(): void }) {
  return (
    <div className="note settings-restored" role="status" data-testid="settings-restored">
      Settings restored from your last session —{' '}
      <button type="button" className="link" onClick={onReset} data-testid="settings-reset">
        reset to defaults
      </button>{' '}
      ·{' '}
      <button type="button" className="link" onClick={onDismiss} aria-label="Keep these settings and hide this note">
        keep
      </button>
    </div>
  );
}
