/** Command ids of the extension, in one place. */
export const CommandIds = {
  openPanel: "hdmea:open-session-panel",
  checkpoint: "hdmea:session-checkpoint",
  save: "hdmea:session-save",
} as const;

export const PALETTE_CATEGORY = "HD-MEA";
