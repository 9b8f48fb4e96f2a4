// The page side of rnnlib.widgets.frames.FrameSwitcher: every frame and table of a view, held
// in the page and switched there. The `controls` trait holds a reference to each control
// ("IPY_MODEL_<id>"); each is resolved through the widget manager and its `index` (the position
// along that axis of the grid) is read and listened to here, so a press never waits for the
// kernel and a view may have any number of controls. Frames carry
// `scale` image pixels per CSS pixel and are drawn on a canvas of fixed CSS size: a swap loads
// nothing and moves nothing on the page (no layout, so the browser repaints only the canvas).
// A frame is decoded into an ImageBitmap when it is first needed (the shown one, then its
// neighbours along each control), and at most CACHE decoded frames are kept, least recently
// shown dropped first: a view of hundreds of 2x frames stays within a bounded memory.
// A frame the kernel has not drawn yet arrives empty (b""), and so does a table not computed
// yet (""): each comes later in a custom message ({frame: index} with the PNG as its buffer,
// {state: index, table: html}), and all of them once the view is complete (`frames` and
// `tables` change). Until a frame arrives the canvas keeps the last one, marked data-pending
// (the table likewise, data-pending on its box); the element's data-missing counts what is
// still to come.
const CACHE = 48;

const PREFIX = "IPY_MODEL_"; // how a widget reference arrives (ipywidgets' widget_serialization)

const modelId = (ref) => {
  if (typeof ref !== "string" || !ref.startsWith(PREFIX))
    throw new Error(`rnnlib frames: a control must arrive as ${PREFIX}<id>, got ${ref}`);
  return ref.slice(PREFIX.length);
};

async function render({ model, el }) {
  const counts = model.get("counts");
  const figureAxes = model.get("figure_axes");
  const allAxes = counts.map((_, k) => k);
  const width = model.get("width");
  const height = model.get("height");
  const scale = model.get("scale") || 1;
  let tables = model.get("tables").slice(); // empty: the view has no table
  const labels = model.get("labels");
  let frames = model.get("frames").slice();
  const have = (i) => frames[i] !== undefined && frames[i].byteLength > 0;

  el.classList.add("rnnlib-frames");
  el.dataset.counts = counts.join(" "); // the grid, for tests that check which frame is shown
  el.dataset.figureAxes = figureAxes.join(" ");
  const row = document.createElement("div"); // el's own style belongs to its ipywidgets Layout
  // the table beside the figure when the output is wide enough, below it when not
  row.style.cssText = "display:flex;flex-flow:row wrap;align-items:flex-start;gap:4px 8px";
  el.append(row);
  const box = document.createElement("div");
  // its CSS size, or narrower (same shape) where the output is narrower: a phone, a split screen
  box.style.cssText =
    `width:${width}px;max-width:100%;aspect-ratio:${width} / ${height};flex:none;contain:strict`;
  const canvas = document.createElement("canvas");
  canvas.className = "rnnlib-frame";
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  canvas.style.cssText = "width:100%;height:100%;display:block";
  canvas.setAttribute("role", "img");
  box.append(canvas);
  row.append(box);
  const table = document.createElement("div");
  table.className = "rnnlib-frames-table";
  table.style.cssText = "flex:1 1 22em;min-width:min(22em,100%);max-width:100%;overflow-x:auto";
  table.setAttribute("aria-live", "polite");
  if (tables.length) row.append(table);

  // Position k of the grid is the index of control k (a selection slider or toggle buttons).
  const refs = model.get("controls");
  const controls = await Promise.all(
    refs.map((ref) => model.widget_manager.get_model(modelId(ref))),
  );
  const position = (k) => controls[k].get("index");
  const flatOf = (axes, pos) => axes.reduce((f, k) => f * counts[k] + pos[k], 0);
  const flat = (axes) => flatOf(axes, allAxes.map(position));
  const ctx = canvas.getContext("2d");
  const bitmaps = new Map(); // frame -> ImageBitmap, in order of last use
  const pending = new Map(); // frame -> Promise of its ImageBitmap
  let drawn = -1;
  let shownTable = null;
  let alive = true;

  const decode = (i) => {
    if (bitmaps.has(i)) return Promise.resolve(bitmaps.get(i));
    if (!pending.has(i)) {
      const blob = new Blob([frames[i]], { type: "image/png" });
      pending.set(
        i,
        createImageBitmap(blob).then((bitmap) => {
          pending.delete(i);
          if (!alive) {
            bitmap.close();
            return null;
          }
          bitmaps.set(i, bitmap);
          while (bitmaps.size > CACHE) {
            const [oldest, old] = bitmaps.entries().next().value;
            if (oldest === drawn) break; // never drop the frame on the canvas
            bitmaps.delete(oldest);
            old.close();
          }
          return bitmap;
        }),
      );
    }
    return pending.get(i);
  };
  const touch = (i) => {
    const b = bitmaps.get(i);
    bitmaps.delete(i);
    bitmaps.set(i, b); // most recently used last
  };
  // The frames one step away along each figure control: likely next, decoded ahead.
  const neighbours = () => {
    const pos = allAxes.map(position);
    const out = [];
    figureAxes.forEach((k) => {
      for (const d of [-1, 1]) {
        const p = pos.slice();
        p[k] += d;
        if (p[k] >= 0 && p[k] < counts[k]) out.push(flatOf(figureAxes, p));
      }
    });
    return out;
  };
  const draw = (frame) => {
    const bitmap = bitmaps.get(frame);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    touch(frame);
    drawn = frame;
    canvas.dataset.frame = String(frame); // a mark for tests: which frame is shown
  };
  const show = () => {
    const frame = flat(figureAxes);
    const state = flat(allAxes);
    if (labels[state] !== undefined) canvas.setAttribute("aria-label", labels[state]);
    if (!have(frame)) canvas.dataset.pending = String(frame); // the kernel sends it
    else delete canvas.dataset.pending;
    if (frame !== drawn && have(frame)) {
      if (bitmaps.has(frame)) draw(frame);
      else
        decode(frame).then((bitmap) => {
          if (bitmap && alive && flat(figureAxes) === frame) draw(frame);
        });
    }
    const html = tables[state];
    if (html === "") table.dataset.pending = String(state); // the kernel sends it
    else delete table.dataset.pending;
    if (html && html !== shownTable) {
      table.innerHTML = html;
      shownTable = html;
    }
    neighbours().filter(have).forEach((i) => decode(i));
  };
  const count = () => {
    const gaps = frames.filter((_, i) => !have(i)).length + tables.filter((t) => t === "").length;
    el.dataset.missing = String(gaps);
  };
  const arrived = (msg, buffers) => {
    if (msg === null || typeof msg !== "object") return;
    if (Number.isInteger(msg.frame)) frames[msg.frame] = buffers[0];
    if (Number.isInteger(msg.state)) tables[msg.state] = msg.table;
    count();
    show();
  };
  const replaced = () => {
    frames = model.get("frames").slice();
    tables = model.get("tables").slice();
    count();
    show();
  };
  count();
  show();
  controls.forEach((c) => c.on("change:index", show));
  model.on("msg:custom", arrived);
  model.on("change:frames", replaced);
  model.on("change:tables", replaced);
  return () => {
    alive = false;
    controls.forEach((c) => c.off("change:index", show));
    model.off("msg:custom", arrived);
    model.off("change:frames", replaced);
    model.off("change:tables", replaced);
    bitmaps.forEach((b) => b.close());
    bitmaps.clear();
  };
}

export default { render };
