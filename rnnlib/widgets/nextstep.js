// The next-step table of rnnlib's TextView (widgets/overview.py), built in the page from the
// text box's value (jslinked to the `text` trait), so it answers as you type with or without a
// kernel. It writes the same HTML as overview._table does for the same text: the browser tests
// compare the two. The table style, the short-text message and the visible stand-ins of blank
// characters come from Python (traits).

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;" };

function escape(value) {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

function table(rows, style) {
  const body = rows.map((row, i) => {
    const tag = i === 0 ? "th" : "td";
    return "<tr>" + row.map((c) => `<${tag}>${escape(c)}</${tag}>`).join("") + "</tr>";
  });
  return `<table style='${style}'>${body.join("")}</table>`;
}

// x_t = c_t and target_t = c_{t+1}; indices in order of first appearance (Vocab order="given")
export function nextStepHtml(text, style, short, labels = {}) {
  const chars = Array.from(text); // code points, as Python's list(text)
  if (chars.length < 2) return short;
  const inputs = chars.slice(0, -1);
  const targets = chars.slice(1);
  const index = new Map();
  for (const c of chars) if (!index.has(c)) index.set(c, index.size);
  const steps = inputs.map((_, t) => t + 1);
  const shown = (c) => labels[c] ?? c; // blanks made visible, as draw.char_label
  return table(
    [
      ["t", ...steps],
      ["input x_t", ...inputs.map(shown)],
      ["target", ...targets.map(shown)],
      ["input index", ...inputs.map((c) => index.get(c))],
      ["target index", ...targets.map((c) => index.get(c))],
    ],
    style,
  );
}

function render({ model, el }) {
  const box = document.createElement("div");
  box.className = "rnnlib-next-step widget-html-content";
  box.setAttribute("aria-live", "polite");
  el.appendChild(box);
  const show = () => {
    const [style, short, labels] = ["table_style", "short", "labels"].map((k) => model.get(k));
    box.innerHTML = nextStepHtml(model.get("text"), style, short, labels);
  };
  model.on("change:text", show);
  show();
  return () => model.off("change:text", show);
}

export default { render };
