import Foundation

/// Measures a decoded photo: finds faces on a copy of about a megapixel (dlib's HOG detector runs in
/// time proportional to pixels, and a usable face is far larger than its 80 px minimum there), fits
/// landmarks and computes the descriptor on that copy, and measures sharpness and light on the
/// full-resolution face.
enum PhotoAnalyzer {
    /// `expectedFace` (the studio renderer's outputs, where the warp placed the face: the box around its
    /// landmarks, in the photo's pixels) lets the analyser bring down and search only the region around
    /// it; landmarks and descriptor are then fitted at the same scale as without it, and the whole-photo
    /// fingerprint (hash, border), which only the set checks of uploads compare, is not measured.
    static func measure(_ photo: DecodedPhoto, session: FaceSession, detectionPixels: Double = Thresholds.detectionPixels,
                        expectedFace: ImageRect? = nil) throws -> FaceMeasurements {
        var times = StageTimes()
        return try measure(photo, session: session, times: &times, detectionPixels: detectionPixels, expectedFace: expectedFace)
    }

    static func measure(_ photo: DecodedPhoto, session: FaceSession, times: inout StageTimes,
                        detectionPixels: Double = Thresholds.detectionPixels, expectedFace: ImageRect? = nil) throws -> FaceMeasurements {
        var stopwatch = Stopwatch()
        func lap(_ stage: WritableKeyPath<StageTimes, Duration>) { times[keyPath: stage] += stopwatch.lap() }
        let image = photo.image
        let scale = min(1, (detectionPixels / Double(image.width * image.height)).squareRoot())

        var near: DetectionCopy?
        var detected: [DetectedFace] = []
        if let expectedFace {
            // Only the region the face can be in is brought down (a third of a headshot's pixels).
            let region = nearRegion(expectedFace).pixelRect().clamped(width: image.width, height: image.height)
            let around = try DetectionCopy(image, region: region, scale: scale)
            detected = try detectNear(around.fromPhoto(expectedFace), in: around.image, session: session)
            if !detected.isEmpty { near = around }
        }
        let copy = try near ?? DetectionCopy(image, region: PixelRect(x: 0, y: 0, width: image.width, height: image.height), scale: scale)
        if detected.isEmpty { detected = try session.detectFrontal(in: copy.faceImage) }
        if detected.isEmpty {
            // HOG only sees upright, frontal, whole faces; the CNN also finds a face cut by the edge
            // or turned away, so the person is told what is wrong rather than "no face". It runs on
            // a smaller copy: it is ~10× slower per pixel, and any face big enough to pass still
            // spans more than its ~40 px minimum there.
            let small = copy.image
            let cnnScale = min(1, (Thresholds.cnnDetectionPixels / Double(small.width * small.height)).squareRoot())
            let cnnCopy = cnnScale < 1 ? try small.resized(by: cnnScale).materialised() : small
            let cnnImage = cnnScale < 1 ? try FaceImage(rgb: try cnnCopy.pixels(), width: cnnCopy.width, height: cnnCopy.height) : copy.faceImage
            detected = try session.detectAny(in: cnnImage)
                .filter { $0.confidence >= Thresholds.cnnMinimumConfidence }
                .map { DetectedFace(box: $0.box.scaled(by: 1 / cnnScale), confidence: $0.confidence) }
        }
        detected.sort { $0.box.area > $1.box.area }
        lap(\.detect)
        let faces = detected.map {
            FaceMeasurements.DetectedFaceSummary(box: copy.toPhoto($0.box), confidence: $0.confidence)
        }

        var primary: FaceMeasurements.PrimaryFace?
        if let main = detected.first {
            let landmarksSmall = try session.landmarks(in: copy.faceImage, box: main.box, count: 68)
            let five = try session.landmarks(in: copy.faceImage, box: main.box, count: 5)
            lap(\.landmarks)
            let descriptor = try session.descriptor(in: copy.faceImage, box: main.box, landmarks5: five)
            lap(\.descriptor)
            let landmarks = landmarksSmall.map(copy.toPhoto)
            // The grey inner face at full resolution, computed once for every light and sharpness figure.
            let region = innerFace(landmarks).pixelRect().clamped(width: image.width, height: image.height)
            let face = try image.cropped(to: region).greyscale().materialised()
            primary = FaceMeasurements.PrimaryFace(
                box: copy.toPhoto(main.box),
                landmarks: landmarks,
                width: landmarks[0].distance(to: landmarks[16]),
                overflow: overflow(landmarks, width: Double(image.width), height: Double(image.height)),
                sharpness: try sharpness(of: face),
                lighting: try lighting(of: face, splitX: landmarks[30].x - Double(region.x)),
                pose: pose(landmarks),
                eyeAspectRatio: eyeAspectRatio(landmarks),
                descriptor: descriptor
            )
        }
        // The detection copy of the whole photo is plenty for a 9×8 hash and a 16×16 border, and far
        // cheaper to shrink; a render's output is never compared with a set, and skips both.
        let measurements = FaceMeasurements(
            imageWidth: image.width, imageHeight: image.height, faces: faces, primary: primary,
            imageHash: expectedFace == nil ? try differenceHash(of: copy.image) : nil,
            borderColour: expectedFace == nil ? try borderColour(of: copy.image) : nil
        )
        lap(\.measure)
        return measurements
    }

    /// The copy of (a region of) a photo that faces are found and fitted on, brought down by `scale`,
    /// in dlib's layout; boxes and points found on it map back to the photo's pixels.
    struct DetectionCopy {
        let image: VipsImage
        let faceImage: FaceImage
        /// The region of the photo it copies, in the photo's pixels.
        let region: PixelRect
        let scale: Double

        init(_ photo: VipsImage, region: PixelRect, scale: Double) throws {
            let whole = region.x == 0 && region.y == 0 && region.width == photo.width && region.height == photo.height
            var copy = whole ? photo : try photo.cropped(to: region)
            if scale < 1 { copy = try copy.resized(by: scale) }
            image = scale < 1 || !whole ? try copy.materialised() : copy
            faceImage = try FaceImage(rgb: try image.pixels(), width: image.width, height: image.height)
            self.region = region
            self.scale = scale
        }

        func toPhoto(_ point: ImagePoint) -> ImagePoint {
            ImagePoint(x: point.x / scale + Double(region.x), y: point.y / scale + Double(region.y))
        }

        func toPhoto(_ rect: ImageRect) -> ImageRect {
            let corner = toPhoto(ImagePoint(x: rect.x, y: rect.y))
            return ImageRect(x: corner.x, y: corner.y, width: rect.width / scale, height: rect.height / scale)
        }

        func fromPhoto(_ rect: ImageRect) -> ImageRect {
            ImageRect(x: (rect.x - Double(region.x)) * scale, y: (rect.y - Double(region.y)) * scale,
                      width: rect.width * scale, height: rect.height * scale)
        }
    }

    /// The region around an expected face that holds everything the detector, the landmark fit and the
    /// descriptor's face chip look at: the face's box and 60 % of its larger side around it.
    static func nearRegion(_ expected: ImageRect) -> ImageRect {
        let margin = nearMargin * max(expected.width, expected.height)
        return ImageRect(x: expected.x - margin, y: expected.y - margin,
                         width: expected.width + 2 * margin, height: expected.height + 2 * margin)
    }

    static let nearMargin = 0.6

    /// Faces found in a crop of `image` around `expected` (in `image`'s pixels), brought down so the
    /// face is about `nearFaceWidth` wide: HOG's cost is in proportion to the pixels it scans, and its
    /// 80 px window still fits. Boxes are returned in `image`'s pixels; empty when none is found there.
    static func detectNear(_ expected: ImageRect, in image: VipsImage, session: FaceSession) throws -> [DetectedFace] {
        let region = nearRegion(expected).pixelRect().clamped(width: image.width, height: image.height)
        let factor = min(1, nearFaceWidth / max(expected.width, 1))
        var crop = try image.cropped(to: region)
        if factor < 1 { crop = try crop.resized(by: factor) }
        let pixels = try crop.materialised()
        let cropImage = try FaceImage(rgb: try pixels.pixels(), width: pixels.width, height: pixels.height)
        return try session.detectFrontal(in: cropImage).map { face in
            let box = face.box.scaled(by: 1 / factor)
            return DetectedFace(box: ImageRect(x: box.x + Double(region.x), y: box.y + Double(region.y), width: box.width, height: box.height),
                                confidence: face.confidence)
        }
    }

    /// The face's width (jaw to jaw, as its landmarks span it) that `detectNear` scans at.
    static let nearFaceWidth = 110.0

    /// Eyes, nose, mouth and cheeks: between the outer brow ends, from the brows to the chin. Little
    /// background or hair falls inside, so light and sharpness describe the face itself.
    static func innerFace(_ points: [ImagePoint]) -> ImageRect {
        let browTop = points[17...26].map(\.y).min() ?? points[19].y
        let left = min(points[17].x, points[36].x), right = max(points[26].x, points[45].x)
        return ImageRect(x: left, y: browTop, width: max(right - left, 1), height: max(points[8].y - browTop, 1))
    }

    /// Where the head outline reaches, estimated from facial proportions: the forehead is about half
    /// the brow-to-chin height above the brows, the crown of the head about 0.8 of it, the chin a
    /// little below landmark 8 and the ears a tenth of the face width outside the jaw line's ends.
    static func overflow(_ points: [ImagePoint], width: Double, height: Double) -> FaceMeasurements.HeadOverflow {
        let faceWidth = max(points[0].distance(to: points[16]), 1)
        let browTop = points[17...26].map(\.y).min() ?? points[19].y
        let faceHeight = max(points[8].y - browTop, 1)
        let outside = points.filter { $0.x < 0 || $0.y < 0 || $0.x >= width || $0.y >= height }.count
        let leftEar = min(points[0].x, points[1].x) - 0.1 * faceWidth
        let rightEar = max(points[16].x, points[15].x) + 0.1 * faceWidth
        return FaceMeasurements.HeadOverflow(
            forehead: (0 - (browTop - 0.5 * faceHeight)) / faceWidth,
            crown: (0 - (browTop - 0.8 * faceHeight)) / faceWidth,
            chin: (points[8].y + 0.05 * faceHeight - height) / faceWidth,
            left: (0 - leftEar) / faceWidth,
            right: (rightEar - width) / faceWidth,
            landmarksOutside: outside
        )
    }

    /// Variance of the Laplacian on the grey inner face resampled to a fixed width, so a large,
    /// slightly soft face and a small sharp one are compared on the same scale; divided by the face's
    /// own grey-level variance so a dim or low-contrast face is not mistaken for a blurred one.
    static func sharpness(of face: VipsImage) throws -> Double {
        // Made once: both figures below read it (lazily, libvips would resample it for each).
        let resampled = try face.resized(by: Thresholds.sharpnessWidth / Double(face.width)).materialised()
        let laplacian = try resampled.convolved([0, 1, 0, 1, -4, 1, 0, 1, 0]).standardDeviation()
        let contrast = max(try resampled.standardDeviation(), 1)
        return 1000 * (laplacian * laplacian) / (contrast * contrast)
    }

    /// The light on the grey (one-band) inner face: its mean, the shares of pixels at most 20 and at
    /// least 250, and the means left and right of `splitX`. All five are counted in one pass over its
    /// pixels: as five libvips calls (each a pipeline of its own) they cost ~15 ms a photo, the pass
    /// well under one.
    static func lighting(of face: VipsImage, splitX: Double) throws -> FaceMeasurements.Lighting {
        precondition(face.bands == 1, "the grey inner face")
        let width = face.width, height = face.height
        let split = min(max(Int(splitX), 1), width - 1)
        let pixels = try face.pixels()
        var total = 0, left = 0, dark = 0, bright = 0
        for y in 0..<height {
            let row = y * width
            for x in 0..<width {
                let value = Int(pixels[row + x])
                total += value
                if x < split { left += value }
                if value <= 20 { dark += 1 } else if value >= 250 { bright += 1 }
            }
        }
        let count = Double(width * height)
        return FaceMeasurements.Lighting(
            mean: Double(total) / count,
            darkFraction: Double(dark) / count,
            brightFraction: Double(bright) / count,
            leftMean: Double(left) / Double(split * height),
            rightMean: Double(total - left) / Double((width - split) * height)
        )
    }

    /// Head pose from the 68 landmarks. Roll is the eye line's angle. With roll removed, yaw follows a
    /// cylinder model: the nose tip sits off the jaw's centre by sin(yaw) of the half-width. Pitch
    /// compares the nose tip's height between the eyes and the chin with its frontal value.
    static func pose(_ points: [ImagePoint]) -> FaceMeasurements.Pose {
        let leftEye = ImagePoint.mean(points[36...41]), rightEye = ImagePoint.mean(points[42...47])
        let roll = atan2(rightEye.y - leftEye.y, rightEye.x - leftEye.x)
        let centre = ImagePoint.mean([leftEye, rightEye])
        func upright(_ p: ImagePoint) -> ImagePoint {
            let dx = p.x - centre.x, dy = p.y - centre.y
            return ImagePoint(x: dx * cos(-roll) - dy * sin(-roll), y: dx * sin(-roll) + dy * cos(-roll))
        }
        let nose = upright(points[30]), chin = upright(points[8])
        let leftJaw = upright(points[1]), rightJaw = upright(points[15])
        let toLeft = nose.x - leftJaw.x, toRight = rightJaw.x - nose.x
        let yawSine = max(-1, min(1, (toLeft - toRight) / max(toLeft + toRight, 1)))
        let noseHeight = nose.y / max(chin.y, 1)
        let pitchSine = max(-1, min(1, (noseHeight - Thresholds.frontalNoseHeight) / Thresholds.noseHeightPerPitch))
        return FaceMeasurements.Pose(
            yaw: asin(yawSine) * 180 / .pi, pitch: asin(pitchSine) * 180 / .pi, roll: roll * 180 / .pi
        )
    }

    /// Soukupová and Čech's eye aspect ratio: eyelid opening over eye width, averaged over both eyes.
    static func eyeAspectRatio(_ points: [ImagePoint]) -> Double {
        func ratio(_ p: ArraySlice<ImagePoint>) -> Double {
            let e = Array(p)
            return (e[1].distance(to: e[5]) + e[2].distance(to: e[4])) / max(2 * e[0].distance(to: e[3]), 1)
        }
        return (ratio(points[36...41]) + ratio(points[42...47])) / 2
    }

    /// dHash: the grey photo shrunk to 9×8; each bit says whether a pixel is darker than its right
    /// neighbour. Recompressed or resized copies of one photo differ in only a few bits.
    static func differenceHash(of image: VipsImage) throws -> UInt64 {
        let tiny = try image.greyscale().resized(horizontal: 9 / Double(image.width), vertical: 8 / Double(image.height))
        let pixels = try tiny.pixels()
        guard tiny.width >= 9, tiny.height >= 8 else { return 0 }
        var hash: UInt64 = 0
        for row in 0..<8 {
            for column in 0..<8 {
                let here = pixels[row * tiny.width + column], next = pixels[row * tiny.width + column + 1]
                hash = hash << 1 | (here < next ? 1 : 0)
            }
        }
        return hash
    }

    /// Mean colour of the outermost ring of a 16×16 reduction: what is behind the person.
    static func borderColour(of image: VipsImage) throws -> [Double] {
        let tiny = try image.resized(horizontal: 16 / Double(image.width), vertical: 16 / Double(image.height))
        let pixels = try tiny.pixels(), width = tiny.width, height = tiny.height, bands = tiny.bands
        var sums = [Double](repeating: 0, count: 3), count = 0.0
        for y in 0..<height {
            for x in 0..<width where x == 0 || y == 0 || x == width - 1 || y == height - 1 {
                for band in 0..<3 { sums[band] += Double(pixels[(y * width + x) * bands + min(band, bands - 1)]) }
                count += 1
            }
        }
        return sums.map { $0 / max(count, 1) }
    }
}
