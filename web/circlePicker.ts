/**
 * Picking points by hand: a unit circle on which a click, or an angle typed beside it and the
 * "Add point" button, adds the unit vector at that angle to the data box (two-column CSV,
 * coordinates to six decimals, which the projection then puts exactly on the circle). It only
 * adds to an empty box or to two-column x1,x2 data: other data (pasted or an example) is never
 * replaced; the picker says so and offers to clear the box instead.
 */
const SIZE = 150;
const RADIUS = 60;
const SVG_NS = "http://www.w3.org/2000/svg";

/** Raw 2-D points of a CSV text whose header is "x1,x2" (no targets), [] for blank text, or null for anything else. */
export function circlePoints(text: string): [number, number][] | null {
  const lines = text
    .trim()
    .split(/\r?\n/)
    .filter((l) => l.trim() !== "" && !l.startsWith("#"));
  if (lines.length === 0) return [];
  if (lines[0].replace(/\s/g, "") !== "x1,x2") return null;
  const points = lines.slice(1).map((l) => l.split(",").map(Number) as [number, number]);
  return points.every((p) => p.length === 2 && p.every(Number.isFinite)) ? points : null;
}

/** The CSV text with the unit vector at angle `angle` (radians) appended, or null when the text holds other data. */
export function withCirclePoint(text: string, angle: number): string | null {
  const points = circlePoints(text);
  if (points === null) return null;
  points.push([Number(Math.cos(angle).toFixed(6)), Number(Math.sin(angle).toFixed(6))]);
  return ["x1,x2", ...points.map(([x, y]) => `${x},${y}`)].join("\n") + "\n";
}

/** Elements of the picker that the page provides (index.html). */
export interface PickerElements {
  readonly circle: HTMLElement;
  readonly angle: HTMLInputElement;
  readonly add: HTMLButtonElement;
  readonly clear: HTMLButtonElement;
  readonly note: HTMLElement;
}

/** Wires the picker; `getText`/`setText` read and replace the data box. `refresh` redraws after the box changed. */
export function mountCirclePicker(el: PickerElements, getText: () => string, setText: (text: string) => void): { refresh(): void } {
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("width", String(SIZE));
  svg.setAttribute("height", String(SIZE));
  svg.setAttribute("role", "img");
  svg.style.cursor = "crosshair";
  const c = SIZE / 2;
  const circle = document.createElementNS(SVG_NS, "circle");
  Object.entries({ cx: c, cy: c, r: RADIUS, fill: "none", stroke: "#888" }).forEach(([k, v]) => circle.setAttribute(k, String(v)));
  const dots = document.createElementNS(SVG_NS, "g");
  svg.append(circle, dots);
  el.circle.append(svg);

  const refresh = (): void => {
    const points = circlePoints(getText());
    const usable = points !== null;
    svg.setAttribute(
      "aria-label",
      usable ? `unit circle with ${points.length} point${points.length === 1 ? "" : "s"}` : "unit circle (the data box holds other data)",
    );
    svg.style.opacity = usable ? "1" : "0.4";
    el.add.disabled = !usable;
    el.note.textContent = usable ? "" : "The data box holds other data, which the circle does not change: clear the box to pick points on the circle.";
    dots.replaceChildren(
      ...(points ?? []).map(([x, y], i) => {
        const dot = document.createElementNS(SVG_NS, "circle");
        const norm = Math.hypot(x, y) || 1;
        Object.entries({ cx: c + (RADIUS * x) / norm, cy: c - (RADIUS * y) / norm, r: 4, fill: "#1f77b4" }).forEach(([k, v]) => dot.setAttribute(k, String(v)));
        const title = document.createElementNS(SVG_NS, "title");
        title.textContent = `point ${i + 1}: (${x}, ${y})`;
        dot.append(title);
        return dot;
      }),
    );
  };
  const addAt = (angle: number): void => {
    const text = withCirclePoint(getText(), angle);
    if (text === null) return;
    setText(text);
    refresh();
  };
  svg.addEventListener("click", (event) => {
    const box = svg.getBoundingClientRect();
    addAt(Math.atan2(c - (event.clientY - box.top), event.clientX - box.left - c));
  });
  el.add.addEventListener("click", () => {
    const degrees = Number(el.angle.value.trim() || NaN);
    const valid = Number.isFinite(degrees);
    el.angle.setAttribute("aria-invalid", String(!valid));
    if (!valid) {
      el.note.textContent = "The angle must be a number of degrees, e.g. 45 or -90.";
      return;
    }
    addAt((degrees * Math.PI) / 180);
  });
  el.clear.addEventListener("click", () => {
    setText("");
    refresh();
  });
  refresh();
  return { refresh };
}
