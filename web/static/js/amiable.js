// Small enhancements; every page works without them.
document.addEventListener('DOMContentLoaded', () => {
  // Bring the error summary of a refused form into view and focus.
  const summary = document.getElementById('erreurs');
  if (summary) summary.focus();

  // A form with data-unsaved (the qualification of a case) warns before
  // another form of the page is sent, or the page is left, while it holds
  // changes not yet saved.
  for (const guarded of document.querySelectorAll('form[data-unsaved]')) {
    let dirty = false;
    const mark = () => { dirty = true; };
    guarded.addEventListener('input', mark);
    guarded.addEventListener('change', mark);
    guarded.addEventListener('submit', () => { dirty = false; });
    for (const other of document.querySelectorAll('form')) {
      if (other === guarded) continue;
      other.addEventListener('submit', (e) => {
        if (dirty && !window.confirm(guarded.dataset.unsaved)) {
          e.preventDefault();
        } else {
          dirty = false;
        }
      });
    }
    window.addEventListener('beforeunload', (e) => {
      if (dirty) { e.preventDefault(); e.returnValue = ''; }
    });
  }
});
