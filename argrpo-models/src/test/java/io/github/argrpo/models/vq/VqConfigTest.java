package io.github.argrpo.models.vq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Presets equal the reference's ModelArgs/VQ_16/VQ_8; bad values are refused with the value named. */
class VqConfigTest {

  @Test
  void vq16IsTheReferencePreset() {
    VqConfig c = VqConfig.vq16();
    assertThat(c.channels()).isEqualTo(128);
    assertThat(c.encoderChannelMultipliers()).containsExactly(1, 1, 2, 2, 4);
    assertThat(c.decoderChannelMultipliers()).containsExactly(1, 1, 2, 2, 4);
    assertThat(c.zChannels()).isEqualTo(256);
    assertThat(c.numResBlocks()).isEqualTo(2);
    assertThat(c.codebookSize()).isEqualTo(16384);
    assertThat(c.codebookEmbedDim()).isEqualTo(8);
    assertThat(c.codebookL2Norm()).isTrue();
    assertThat(c.normGroups()).isEqualTo(32);
    assertThat(c.normEps()).isEqualTo(1e-6);
    assertThat(c.dropout()).isEqualTo(0.0);
    assertThat(c.downsampleFactor()).isEqualTo(16);
  }

  @Test
  void vq8DiffersOnlyInTheMultipliers() {
    VqConfig c = VqConfig.vq8();
    assertThat(c.encoderChannelMultipliers()).containsExactly(1, 2, 2, 4);
    assertThat(c.downsampleFactor()).isEqualTo(8);
    assertThat(c.toBuilder().channelMultipliers(List.of(1, 1, 2, 2, 4)).build()).isEqualTo(VqConfig.vq16());
  }

  @Test
  void refusesBadValuesNamingThem() {
    assertThatThrownBy(() -> VqConfig.builder().codebookSize(0).build()).hasMessageContaining("codebookSize")
        .hasMessageContaining("0");
    assertThatThrownBy(() -> VqConfig.builder().channels(48).build()).hasMessageContaining("normGroups 32");
    assertThatThrownBy(() -> VqConfig.builder().encoderChannelMultipliers(List.of(1, 2)).build())
        .hasMessageContaining("same length");
    assertThatThrownBy(() -> VqConfig.builder().channelMultipliers(List.of()).build())
        .hasMessageContaining("must not be empty");
    assertThatThrownBy(() -> VqConfig.builder().dropout(1.0).build()).hasMessageContaining("dropout");
  }
}
