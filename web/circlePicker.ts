/**
 * Picking points by hand: a unit circle on which a click adds the point at that angle to the
 * pasted data (two-column CSV, coordinates to six decimals, which the projection then puts exactly
 * on the circle). The dots show the points of the current two-column data.
 */
const SIZE = 170;
const RADIUS = 70;
const SVG_NS = "http://www.w3.org/2000/svg";

/** Raw 2-D points of a CSV text whose header is "x1,x2" (no targets), or null for anything else. */
export function circlePoints(text: string): [number, number][] | null {
  const lines = text.trim().split(/\r?\n/).filter((l) => l.trim() !== "" && !l.startsWith("#"));
  if (lines[0]?.replace(/\s/g, "") !== "x1,x2") return null;
  const points = lines.slice(1).map((l) => l.split(",").map(Number) as [number, number]);
  return points.every((p) => p.length === 2 && p.every(Number.isFinite)) ? points : null;
}

/** The CSV text with the unit vector at angle `angle` (radians) appended; other data is replaced. */
export function withCirclePoint(text: string, angle: number): string {
  const points = circlePoints(text) ?? [];
  points.push([Number(Math.cos(angle).toFixed(6)), Number(Math.sin(angle).toFixed(6))]);
  return ["x1,x2", ...points.map(([x, y]) => `${x},${y}`)].join("\n") + "\n";
}

/** Draws the picker into `container`; `getText`/`setText` read and replace the data box. */
export function mountCirclePicker(container: HTMLElement, getText: () => string, setText: (text: string) => void): { refresh(): void } {
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("width", String(SIZE));
  svg.setAttribute("height", String(SIZE));
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", "unit circle: click to add a point");
  svg.style.cursor = "crosshair";
  const c = SIZE / 2;
  const circle = document.createElementNS(SVG_NS, "circle");
  Object.entries({ cx: c, cy: c, r: RADIUS, fill: "none", stroke: "#888" }).forEach(([k, v]) => circle.setAttribute(k, String(v)));
  const dots = document.createElementNS(SVG_NS, "g");
  svg.append(circle, dots);
  container.append(svg);

  const refresh = (): void => {
    const points = circlePoints(getText()) ?? [];
    dots.replaceChildren(
      ...points.map(([x, y], i) => {
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
  svg.addEventListener("click", (event) => {
    const box = svg.getBoundingClientRect();
    const angle = Math.atan2(c - (event.clientY - box.top), event.clientX - box.left - c);
    setText(withCirclePoint(getText(), angle));
    refresh();
  });
  refresh();
  return { refresh };
}
