// Small enhancements; every page works without them.
document.addEventListener('DOMContentLoaded', () => {
  // Bring the error summary of a refused form into view and focus.
  const summary = document.getElementById('erreurs');
  if (summary) summary.focus();
});
