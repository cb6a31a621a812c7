/// Everything the checks need, measured once per photo. Kept apart from the verdicts so thresholds
/// can be tested and calibrated without decoding images.
public struct FaceMeasurements: Sendable, Equatable {
    public var imageWidth: Int
    public var imageHeight: Int
    /// Every face found, largest first, in normalised-photo pixels.
    public var faces: [DetectedFaceSummary]
    /// Measurements of the largest face; nil when no face was found.
    public var primary: PrimaryFace?
    /// 64-bit difference hash of the whole photo (near-identical photos differ in few bits). Nil for a
    /// render's output (measured with `expectedFace`): only uploads are compared with one another.
    public var imageHash: UInt64?
    /// Mean sRGB colour of the photo's outer border, a cheap signature of the background (nil as the hash).
    public var borderColour: [Double]?

    public struct DetectedFaceSummary: Sendable, Equatable {
        public var box: ImageRect
        public var confidence: Double
    }

    public struct PrimaryFace: Sendable, Equatable {
        public var box: ImageRect
        public var landmarks: [ImagePoint]
        /// Distance between the outer jaw points (0 and 16): the face's width in pixels.
        public var width: Double
        /// How far the estimated head outline reaches past each edge of the photo, in face widths
        /// (positive: cut off; negative: room to spare).
        public var overflow: HeadOverflow
        /// Variance of the Laplacian of the inner face, resampled to `Thresholds.sharpnessWidth`.
        public var sharpness: Double
        public var lighting: Lighting
        public var pose: Pose
        /// Mean eye aspect ratio of both eyes (open ≈ 0.25–0.35, closed < 0.15).
        public var eyeAspectRatio: Double
        public var descriptor: [Float]
    }

    public struct HeadOverflow: Sendable, Equatable {
        public var forehead: Double
        public var crown: Double
        public var chin: Double
        public var left: Double
        public var right: Double
        /// Landmarks that the predictor placed outside the photo.
        public var landmarksOutside: Int
    }

    public struct Lighting: Sendable, Equatable {
        /// Mean grey level of the inner face, 0–255.
        public var mean: Double
        /// Fractions of inner-face pixels that are near black (≤ 20) or blown out (≥ 250).
        public var darkFraction: Double
        public var brightFraction: Double
        /// Mean grey level of each half of the face (split at the nose).
        public var leftMean: Double
        public var rightMean: Double
    }

    public struct Pose: Sendable, Equatable {
        public var yaw: Double
        public var pitch: Double
        public var roll: Double
    }
}
