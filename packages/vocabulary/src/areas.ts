export interface AreaInfo {
  id: string;
  name: string;
  town: string;
  /** SUB area — særligt udsat boligområde: national targets for the police's effort. */
  isSpecialArea: boolean;
}

/** The four social-housing areas of the agreement. */
export const AREAS: readonly AreaInfo[] = [
  { id: 'motalavej', name: 'Motalavej', town: 'Korsør', isSpecialArea: true },
  { id: 'ringparken', name: 'Ringparken / Schackenborg Vænge', town: 'Slagelse', isSpecialArea: true },
  { id: 'sydbyen', name: 'Sydbyen', town: 'Slagelse', isSpecialArea: false },
  { id: 'parkvej', name: 'Parkvej / Præstevangen', town: 'Skælskør', isSpecialArea: false },
];

export const AREA_IDS = AREAS.map((a) => a.id);
