import { LabIcon } from "@jupyterlab/ui-components";

// A 4 × 4 electrode grid with one active site: the sidebar tab's icon. `jp-icon3` lets JupyterLab theme the fill.
const SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16">
<g class="jp-icon3" fill="#616161">
<circle cx="2.5" cy="2.5" r="1.3"/><circle cx="6.2" cy="2.5" r="1.3"/><circle cx="9.8" cy="2.5" r="1.3"/><circle cx="13.5" cy="2.5" r="1.3"/>
<circle cx="2.5" cy="6.2" r="1.3"/><circle cx="6.2" cy="6.2" r="1.3"/><circle cx="13.5" cy="6.2" r="1.3"/>
<circle cx="2.5" cy="9.8" r="1.3"/><circle cx="6.2" cy="9.8" r="1.3"/><circle cx="9.8" cy="9.8" r="1.3"/><circle cx="13.5" cy="9.8" r="1.3"/>
<circle cx="2.5" cy="13.5" r="1.3"/><circle cx="6.2" cy="13.5" r="1.3"/><circle cx="9.8" cy="13.5" r="1.3"/><circle cx="13.5" cy="13.5" r="1.3"/>
</g>
<circle cx="9.8" cy="6.2" r="2" fill="#e65100"/>
</svg>`;

export const sessionIcon = new LabIcon({ name: "hdmea:session", svgstr: SVG });
