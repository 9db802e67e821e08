//! Tonic codecs for schema-described messages, so the transcoder can call any method.
//!
//! Requests and responses are prost-reflect `DynamicMessage`s of the method's input and output
//! types ([`DynamicCodec`]); [`RawReplyCodec`] leaves the answer as its protobuf bytes, for
//! callers that may not need to decode it. The codecs only frame bytes and must not interpret
//! fields.

use bytes::{Buf as _, BufMut as _, Bytes};
use prost::Message as _;
use prost_reflect::{DynamicMessage, MessageDescriptor};
use tonic::Status;
use tonic::codec::{Codec, DecodeBuf, Decoder, EncodeBuf, Encoder};

/// Encodes any `DynamicMessage`, decodes into the given output type.
#[derive(Clone)]
pub struct DynamicCodec {
    output: MessageDescriptor,
}

impl DynamicCodec {
    /// A codec whose decoder produces messages of type `output`.
    pub fn new(output: MessageDescriptor) -> Self {
        Self { output }
    }
}

impl Codec for DynamicCodec {
    type Encode = DynamicMessage;
    type Decode = DynamicMessage;
    type Encoder = DynamicEncoder;
    type Decoder = DynamicDecoder;

    fn encoder(&mut self) -> Self::Encoder {
        DynamicEncoder
    }

    fn decoder(&mut self) -> Self::Decoder {
        DynamicDecoder {
            output: self.output.clone(),
        }
    }
}

/// The encoding half of [`DynamicCodec`].
pub struct DynamicEncoder;

impl Encoder for DynamicEncoder {
    type Item = DynamicMessage;
    type Error = Status;

    fn encode(&mut self, item: Self::Item, dst: &mut EncodeBuf<'_>) -> Result<(), Self::Error> {
        let mut bytes = Vec::with_capacity(item.encoded_len());
        item.encode(&mut bytes)
            .map_err(|error| Status::internal(error.to_string()))?;
        dst.put_slice(&bytes);
        Ok(())
    }
}

/// The decoding half of [`DynamicCodec`].
pub struct DynamicDecoder {
    output: MessageDescriptor,
}

impl Decoder for DynamicDecoder {
    type Item = DynamicMessage;
    type Error = Status;

    fn decode(&mut self, src: &mut DecodeBuf<'_>) -> Result<Option<Self::Item>, Self::Error> {
        let bytes = src.copy_to_bytes(src.remaining());
        DynamicMessage::decode(self.output.clone(), bytes)
            .map(Some)
            .map_err(|error| Status::internal(format!("decoding the response: {error}")))
    }
}

/// Encodes any `DynamicMessage`, answers the reply's protobuf bytes undecoded.
#[derive(Clone, Copy, Debug, Default)]
pub struct RawReplyCodec;

impl Codec for RawReplyCodec {
    type Encode = DynamicMessage;
    type Decode = Bytes;
    type Encoder = DynamicEncoder;
    type Decoder = RawDecoder;

    fn encoder(&mut self) -> Self::Encoder {
        DynamicEncoder
    }

    fn decoder(&mut self) -> Self::Decoder {
        RawDecoder
    }
}

/// The decoding half of [`RawReplyCodec`].
pub struct RawDecoder;

impl Decoder for RawDecoder {
    type Item = Bytes;
    type Error = Status;

    fn decode(&mut self, src: &mut DecodeBuf<'_>) -> Result<Option<Self::Item>, Self::Error> {
        Ok(Some(src.copy_to_bytes(src.remaining())))
    }
}
