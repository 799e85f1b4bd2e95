/**
 * Wrapper that stores a number as a double even when it is whole (`new Double(1)` is stored as
 * 1.0, while plain `1` is stored as an integer).
 */
export class Double {
  readonly Double: number
  constructor(value: number) {
    if (typeof value !== 'number') throw new TypeError('Double value must be a number')
    this.Double = value
  }
  /** The wrapped number. */
  value(): number {
    return this.Double
  }
}

/** A GeoJSON value (stored with the GeoJSON particle type so it can be geo-indexed). */
export class GeoJSON {
  readonly str: string
  constructor(json: string | object) {
    if (typeof json === 'string') {
      JSON.parse(json) // throws a SyntaxError on invalid JSON, before anything is sent
      this.str = json
    } else if (json !== null && typeof json === 'object') {
      this.str = JSON.stringify(json)
    } else {
      throw new TypeError('GeoJSON value must be a JSON string or an object')
    }
  }
  /** The parsed GeoJSON object. */
  value(): unknown {
    return JSON.parse(this.str)
  }
  toJSON(): unknown {
    return this.value()
  }
  toString(): string {
    return this.str
  }
  // The shape factories are plain functions, so that `GeoJSON.Point(…)` and
  // `new GeoJSON.Point(…)` both work, as with the official client.
  /** A GeoJSON point. */
  static Point: GeoShape<[lng: number, lat: number]> = function (lng: number, lat: number): GeoJSON {
    return new GeoJSON({ type: 'Point', coordinates: [lng, lat] })
  } as GeoShape<[number, number]>
  /** A GeoJSON polygon from `[lng, lat]` pairs. */
  static Polygon: GeoShape<Array<[number, number]>> = function (...coordinates: Array<[number, number]>): GeoJSON {
    return new GeoJSON({ type: 'Polygon', coordinates: [coordinates] })
  } as GeoShape<Array<[number, number]>>
  /** Aerospike's circle extension: center and radius in meters. */
  static Circle: GeoShape<[lng: number, lat: number, radius: number]> = function (lng: number, lat: number, radius: number): GeoJSON {
    return new GeoJSON({ type: 'AeroCircle', coordinates: [[lng, lat], radius] })
  } as GeoShape<[number, number, number]>
}

/** A GeoJSON shape factory, callable with or without `new`. */
export interface GeoShape<A extends unknown[]> {
  (...args: A): GeoJSON
  new (...args: A): GeoJSON
}

/** A number or a nested array of numbers: the coordinates of a {@link GeoJSONType}. */
export type NumberArray = number | NumberArray[]

/** A plain GeoJSON object (the official name), accepted wherever GeoJSON is. */
export type GeoJSONType = {
  type: string
  coordinates: NumberArray
}

/** Any value a bin can hold. */
export type AerospikeValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Buffer
  | Uint8Array
  | Double
  | GeoJSON
  // Inside a list or map, `undefined` is stored as nil (as with the official client).
  | Array<AerospikeValue | undefined>
  | Map<AerospikeValue, AerospikeValue | undefined>
  | { [key: string]: AerospikeValue | undefined }
  // As in the official typings (`PartialAerospikeBinValue` includes `object`), so that values
  // typed there (`BigInt`, `{ nested: Object }`, …) type-check here too.
  | object

/** The bins of a record. */
export type Bins = Record<string, AerospikeValue | undefined>
