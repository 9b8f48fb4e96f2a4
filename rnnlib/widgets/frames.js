// The page side of rnnlib.widgets.frames.FrameSwitcher: every frame and table of a view, held
// in the page and switched there. The controls' positions arrive through traits i0, i1, ...
// that are jslinked to the controls, so a press never waits for the kernel. Frames are decoded
// once into ImageBitmaps and drawn on a canvas of fixed size: a swap loads nothing and moves
// nothing on the page (no layout, so the browser repaints only the canvas).
function render({ model, el }) {
  const counts = model.get("counts");
  const offsets = model.get("offsets");
  const figureAxes = model.get("figure_axes");
  const allAxes = counts.map((_, k) => k);
  const width = model.get("width");
  const height = model.get("height");
  const tables = model.get("tables");

  el.classList.add("rnnlib-frames");
  el.dataset.counts = counts.join(" "); // the grid, for tests that check which frame is shown
  el.dataset.offsets = offsets.join(" ");
  el.dataset.figureAxes = figureAxes.join(" ");
  const row = document.createElement("div"); // el's own style belongs to its ipywidgets Layout
  row.style.cssText = "display:flex;flex-flow:row nowrap;align-items:flex-start";
  el.append(row);
  const box = document.createElement("div");
  box.style.cssText = `width:${width}px;height:${height}px;flex:none;contain:strict`;
  const canvas = document.createElement("canvas");
  canvas.className = "rnnlib-frame";
  canvas.width = width;
  canvas.height = height;
  canvas.style.cssText = `width:${width}px;height:${height}px;display:block`;
  box.append(canvas);
  row.append(box);
  const table = document.createElement("div");
  table.className = "rnnlib-frames-table";
  table.style.cssText = "margin-left:8px;flex:1 1 auto;min-width:0";
  if (tables.length) row.append(table);

  // Position k of the grid is the control's value (or index) minus its offset.
  const flat = (axes) =>
    axes.reduce((f, k) => f * counts[k] + (model.get(`i${k}`) - offsets[k]), 0);
  const ctx = canvas.getContext("2d");
  const bitmaps = [];
  let drawn = -1;
  let shownTable = null;
  const show = () => {
    const frame = flat(figureAxes);
    if (frame !== drawn && bitmaps[frame]) {
      ctx.clearRect(0, 0, width, height);
      ctx.drawImage(bitmaps[frame], 0, 0);
      drawn = frame;
      canvas.dataset.frame = String(frame); // a mark for tests: which frame is shown
    }
    const html = tables[flat(allAxes)];
    if (html !== undefined && html !== shownTable) {
      table.innerHTML = html;
      shownTable = html;
    }
  };
  model.get("frames").forEach((bytes, i) => {
    const blob = new Blob([bytes], { type: "image/png" });
    createImageBitmap(blob).then((bitmap) => {
      bitmaps[i] = bitmap;
      if (i === flat(figureAxes)) show();
    });
  });
  show();
  const events = allAxes.map((k) => `change:i${k}`).join(" ");
  model.on(events, show);
  return () => {
    model.off(events, show);
    bitmaps.forEach((b) => b && b.close());
  };
}

export default { render };
