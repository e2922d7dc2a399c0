// Participatory budgeting ballots: keeps the running total beside a knapsack ballot up to date as
// boxes are ticked. Without this script the "Check my total" button asks the server instead.
const form = document.querySelector('form[data-pb-ballot]');
if (form) {
  const budget = Number(form.dataset.budget || 0);
  const symbol = form.dataset.symbol || '';
  const sum = form.querySelector('[data-pb-sum]');
  const over = form.querySelector('[data-pb-over]');
  const boxes = form.querySelectorAll('input[type=checkbox][data-cost]');
  const format = (n) => symbol + n.toLocaleString('en-GB');
  const update = () => {
    let total = 0;
    boxes.forEach((b) => { if (b.checked) total += Number(b.dataset.cost); });
    if (sum) sum.textContent = format(total);
    if (over) over.hidden = total <= budget;
  };
  if (sum) {
    boxes.forEach((b) => b.addEventListener('change', update));
    const check = form.querySelector('[data-pb-check]');
    // The total is always current, so the button is not needed (GOV.UK's button style beats [hidden]).
    if (check) check.style.display = 'none';
    update();
  }
}
