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

  // The highlights table of the report's texts (/rapport/textes): rows are
  // added, moved and removed in the page; without the script the same
  // buttons are submits the server answers with the table changed.
  for (const table of document.querySelectorAll('table[data-highlights]')) {
    const form = table.closest('form');
    const body = table.tBodies[0];
    const count = form.querySelector('input[name=hl_rows]');
    const renumber = () => {
      const rows = [...body.rows];
      rows.forEach((row, i) => {
        for (const el of row.querySelectorAll('[name^=hl_]')) el.name = el.name.replace(/_\d+$/, '_' + i);
        for (const el of row.querySelectorAll('[id^=hl-]')) el.id = el.id.replace(/-\d+$/, '-' + i);
        for (const el of row.querySelectorAll('label[for^=hl-]')) {
          el.htmlFor = el.htmlFor.replace(/-\d+$/, '-' + i);
          el.textContent = el.textContent.replace(/\d+$/, String(i + 1));
        }
        for (const b of row.querySelectorAll('button[data-move]')) {
          b.value = b.dataset.move + '_' + i;
          b.setAttribute('aria-label', b.getAttribute('aria-label').replace(/\d+$/, String(i + 1)));
          if (b.dataset.move === 'up') b.disabled = i === 0;
          if (b.dataset.move === 'down') b.disabled = i === rows.length - 1;
        }
      });
      count.value = String(rows.length);
    };
    form.addEventListener('click', (e) => {
      const b = e.target.closest('button[data-move]');
      if (!b || !form.contains(b)) return;
      e.preventDefault();
      const row = b.closest('tr');
      if (b.dataset.move === 'add') {
        if (body.rows.length >= 40) return;
        const fresh = body.rows[body.rows.length - 1].cloneNode(true);
        for (const el of fresh.querySelectorAll('input, textarea')) el.value = '';
        body.appendChild(fresh);
        renumber();
        fresh.querySelector('input').focus();
        return;
      }
      if (b.dataset.move === 'up' && row.previousElementSibling) {
        body.insertBefore(row, row.previousElementSibling);
      } else if (b.dataset.move === 'down' && row.nextElementSibling) {
        body.insertBefore(row.nextElementSibling, row);
      } else if (b.dataset.move === 'remove') {
        if (body.rows.length === 1) {
          for (const el of row.querySelectorAll('input, textarea')) el.value = '';
        } else {
          const next = row.nextElementSibling || row.previousElementSibling;
          row.remove();
          renumber();
          next.querySelector('button[data-move=remove]').focus();
          return;
        }
      }
      renumber();
      b.focus();
    });
  }
});
