// As-you-type plain English check. A form that has the plain/check partial and textareas marked
// data-plain-field gets its results region updated a moment after the person stops typing. The
// server renders the results (the same HTML a "Check my writing" post shows), so this script only
// sends text and swaps the region. Without it, the check button still works.
const region = document.getElementById('plain-check');
const form = document.querySelector('form [data-plain-field]')?.form;
if (region && form) {
  const endpoint = region.dataset.plainEndpoint;
  const token = form.querySelector('input[name="csrf_token"]')?.value || '';
  const fields = () => Array.from(form.querySelectorAll('[data-plain-field]')).map((el) => {
    const label = el.id ? document.querySelector(`label[for="${CSS.escape(el.id)}"]`) : null;
    const chosen = form.querySelector('input[name="lang"]:checked');
    return {
      id: el.id,
      label: label ? label.textContent.trim() : '',
      text: el.value,
      lang: el.dataset.plainLang || (chosen ? chosen.value : ''),
    };
  });
  let timer = 0;
  let sent = 0;
  const check = async () => {
    const mine = ++sent;
    try {
      const res = await fetch(endpoint, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': token, Accept: 'application/json' },
        body: JSON.stringify({ fields: fields() }),
      });
      if (!res.ok || mine !== sent) return;  // an older answer never overwrites a newer one
      const body = await res.json();
      region.innerHTML = body.html;
    } catch (e) {
      // Offline or the server is busy: the check button still works.
    }
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(check, 700);
  };
  form.addEventListener('input', later);
  form.addEventListener('change', later);
}
